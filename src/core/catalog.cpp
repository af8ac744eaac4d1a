#include "core/catalog.h"

#include "core/configerror.h"
#include "core/configtext.h"
#include "core/departments.h"

#include <algorithm>

namespace gd::core {

using namespace configtext;

const StageLimit *Category::limit(Stage stage) const
{
    for (const StageLimit &l : limits)
        if (l.stage == stage)
            return &l;
    return nullptr;
}

std::string_view priorityName(Priority priority)
{
    switch (priority) {
    case Priority::Normal: return "normal";
    case Priority::Urgent: return "urgent";
    case Priority::Emergency: return "emergency";
    }
    return "normal";
}

std::optional<Priority> parsePriority(std::string_view name)
{
    for (Priority p : {Priority::Normal, Priority::Urgent, Priority::Emergency})
        if (priorityName(p) == name)
            return p;
    return std::nullopt;
}

std::string_view stageName(Stage stage)
{
    switch (stage) {
    case Stage::Accept: return "accept";
    case Stage::Dispatch: return "dispatch";
    case Stage::Handle: return "handle";
    case Stage::Visit: return "visit";
    }
    return "accept";
}

std::optional<Stage> parseStage(std::string_view name)
{
    for (Stage s : {Stage::Accept, Stage::Dispatch, Stage::Handle, Stage::Visit})
        if (stageName(s) == name)
            return s;
    return std::nullopt;
}

std::string_view limitUnitName(LimitUnit unit)
{
    switch (unit) {
    case LimitUnit::WorkingHours: return "wh";
    case LimitUnit::WorkingDays: return "wd";
    case LimitUnit::NaturalHours: return "h";
    }
    return "wh";
}

std::optional<LimitUnit> parseLimitUnit(std::string_view name)
{
    for (LimitUnit u : {LimitUnit::WorkingHours, LimitUnit::WorkingDays, LimitUnit::NaturalHours})
        if (limitUnitName(u) == name)
            return u;
    if (name == "working_hours")
        return LimitUnit::WorkingHours;
    if (name == "working_days")
        return LimitUnit::WorkingDays;
    if (name == "natural_hours")
        return LimitUnit::NaturalHours;
    return std::nullopt;
}

namespace {

// "4wh", "3wd", "24h"
std::optional<StageLimit> parseLimit(Stage stage, std::string_view text)
{
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
        ++digits;
    const auto amount = toInt(text.substr(0, digits));
    const auto unit = parseLimitUnit(text.substr(digits));
    if (!amount || !unit || *amount <= 0)
        return std::nullopt;
    return StageLimit{stage, *amount, *unit};
}

} // namespace

CategoryCatalog CategoryCatalog::parse(std::string_view text, const std::string &sourceName)
{
    CategoryCatalog catalog;
    catalog.mSource = sourceName;
    const auto fail = [&](int line, const std::string &problem) { throw ConfigError(sourceName, line, problem); };

    for (const Line &line : lines(text)) {
        const auto fields = splitBars(line.text);
        const std::string_view kind = fields[0];
        if (kind == "family") {
            if (fields.size() != 4)
                fail(line.number, "a family line has 4 fields 'family | <code> | <中文名> | <English name>', found "
                                      + std::to_string(fields.size()));
            if (!isDigits(fields[1], 2) || fields[1] == "00")
                fail(line.number, "family code '" + std::string(fields[1]) + "' must be 2 digits, not 00");
            if (catalog.family(fields[1]))
                fail(line.number, "family " + std::string(fields[1]) + " is defined twice");
            if (fields[2].empty() || fields[3].empty())
                fail(line.number, "family " + std::string(fields[1]) + " needs a Chinese and an English name");
            catalog.mFamilies.push_back({std::string(fields[1]), std::string(fields[2]), std::string(fields[3])});
        } else if (kind == "category") {
            if (fields.size() != 12)
                fail(line.number, "a category line has 12 fields 'category | code | 中文名 | English | lead | "
                                  "priority | accept | dispatch | handle | visit | radius_m | window_h', found "
                                      + std::to_string(fields.size()));
            Category c;
            c.code = fields[1];
            if (!isDigits(c.code, 4) || c.code.substr(2) == "00")
                fail(line.number, "category code '" + c.code + "' must be 4 digits (family + sub), sub not 00");
            c.familyCode = c.code.substr(0, 2);
            if (!catalog.family(c.familyCode))
                fail(line.number, "category " + c.code + " belongs to family " + c.familyCode
                                      + ", which is not defined above it");
            if (catalog.find(c.code))
                fail(line.number, "category " + c.code + " is defined twice");
            c.nameZh = fields[2];
            c.nameEn = fields[3];
            if (c.nameZh.empty() || c.nameEn.empty())
                fail(line.number, "category " + c.code + " needs a Chinese and an English name");
            c.leadDepartment = fields[4];
            if (c.leadDepartment.empty())
                fail(line.number, "category " + c.code + " needs a default lead department");
            const auto priority = parsePriority(fields[5]);
            if (!priority)
                fail(line.number, "category " + c.code + ": priority '" + std::string(fields[5])
                                      + "' is not normal, urgent or emergency");
            c.priority = *priority;
            const Stage stages[] = {Stage::Accept, Stage::Dispatch, Stage::Handle, Stage::Visit};
            for (int i = 0; i < 4; ++i) {
                const auto limit = parseLimit(stages[i], fields[6 + i]);
                if (!limit)
                    fail(line.number, "category " + c.code + ": " + std::string(stageName(stages[i])) + " limit '"
                                          + std::string(fields[6 + i])
                                          + "' must be a positive number followed by wh (工作时), wd (工作日) or h (自然时)");
                c.limits.push_back(*limit);
            }
            const auto radius = toDouble(fields[10]);
            if (!radius || *radius <= 0)
                fail(line.number, "category " + c.code + ": duplicate radius '" + std::string(fields[10])
                                      + "' must be a positive number of metres");
            c.duplicateRadiusM = *radius;
            const auto window = toInt(fields[11]);
            if (!window || *window <= 0)
                fail(line.number, "category " + c.code + ": duplicate window '" + std::string(fields[11])
                                      + "' must be a positive whole number of hours");
            c.duplicateWindowHours = *window;
            catalog.mCategories.push_back(std::move(c));
            catalog.mCategoryLines.push_back(line.number);
        } else if (kind == "keywords") {
            // What callers say for a category (井盖 for 市政设施损坏): intake finds it by them.
            if (fields.size() != 3)
                fail(line.number, "a keywords line has 3 fields 'keywords | <category code> | <word>、<word>…', found "
                                      + std::to_string(fields.size()));
            const auto it = std::find_if(catalog.mCategories.begin(), catalog.mCategories.end(),
                                         [&](const Category &c) { return c.code == fields[1]; });
            if (it == catalog.mCategories.end())
                fail(line.number, "keywords for category '" + std::string(fields[1]) + "', which is not defined above them");
            std::string words(fields[2]);
            // Words are separated by 、 (the Chinese enumeration comma) or ','.
            for (std::size_t at = words.find("、"); at != std::string::npos; at = words.find("、", at))
                words.replace(at, std::string_view("、").size(), ",");
            std::size_t start = 0;
            while (start <= words.size()) {
                const std::size_t comma = std::min(words.find(',', start), words.size());
                std::string word = words.substr(start, comma - start);
                word.erase(0, word.find_first_not_of(" \t"));
                word.erase(word.find_last_not_of(" \t") + 1);
                if (word.empty())
                    fail(line.number, "keywords for category " + it->code + ": an empty word (two separators in a row?)");
                if (std::find(it->keywords.begin(), it->keywords.end(), word) == it->keywords.end())
                    it->keywords.push_back(std::move(word));
                start = comma + 1;
            }
        } else {
            fail(line.number, "unknown entry '" + std::string(kind) + "'; expected 'family', 'category' or 'keywords'");
        }
    }
    for (const CategoryFamily &f : catalog.mFamilies) {
        if (std::none_of(catalog.mCategories.begin(), catalog.mCategories.end(),
                         [&](const Category &c) { return c.familyCode == f.code; }))
            fail(0, "family " + f.code + " (" + f.nameZh + ") has no category");
    }
    if (catalog.mCategories.empty())
        fail(0, "the catalog defines no category");
    return catalog;
}

const Category *CategoryCatalog::find(std::string_view code) const
{
    for (const Category &c : mCategories)
        if (c.code == code)
            return &c;
    return nullptr;
}

const CategoryFamily *CategoryCatalog::family(std::string_view code) const
{
    for (const CategoryFamily &f : mFamilies)
        if (f.code == code)
            return &f;
    return nullptr;
}

void CategoryCatalog::validateAgainst(const DepartmentDirectory &departments) const
{
    for (std::size_t i = 0; i < mCategories.size(); ++i) {
        const Category &c = mCategories[i];
        if (!departments.find(c.leadDepartment))
            throw ConfigError(mSource, mCategoryLines[i],
                              "category " + c.code + ": lead department '" + c.leadDepartment
                                  + "' is not in the department directory");
    }
}

void validateCatalog(const CategoryCatalog &catalog, const DepartmentDirectory &departments)
{
    catalog.validateAgainst(departments);
}

std::vector<std::string> catalogDifferences(const CategoryCatalog &used, const CategoryCatalog &reference)
{
    std::vector<std::string> out;
    for (const Category &c : used.categories())
        if (!reference.find(c.code))
            out.push_back("category " + c.code + " (" + c.nameZh + ") is not in the store's catalog");
    for (const Category &c : reference.categories())
        if (!used.find(c.code))
            out.push_back("category " + c.code + " (" + c.nameZh + ") of the store's catalog is missing");
    return out;
}

} // namespace gd::core
