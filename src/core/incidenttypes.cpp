#include "core/incidenttypes.h"

#include "core/catalog.h"
#include "core/configerror.h"
#include "core/configtext.h"

#include <algorithm>

namespace gd::core {

using namespace configtext;

namespace {

bool isCode(std::string_view code)
{
    return !code.empty() && code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

} // namespace

IncidentTypes IncidentTypes::parse(std::string_view text, const std::string &sourceName)
{
    IncidentTypes out;
    out.mSource = sourceName;
    for (const Line &line : lines(text)) {
        const auto fail = [&](const std::string &problem) { throw ConfigError(sourceName, line.number, problem); };
        const auto fields = splitBars(line.text);
        if (fields[0] != "type")
            fail("unknown entry '" + std::string(fields[0]) + "'; expected 'type | <code> | <中文名> | <English> | [categories]'");
        if (fields.size() < 4 || fields.size() > 5)
            fail("a type has 4 or 5 fields 'type | <code> | <中文名> | <English> | [categories]', found "
                 + std::to_string(fields.size()));
        IncidentType type;
        type.code = std::string(fields[1]);
        if (!isCode(type.code))
            fail("type code '" + type.code + "' must be lower-case letters, digits or '_' (at most 32)");
        if (out.find(type.code))
            fail("type '" + type.code + "' is given twice");
        type.nameZh = std::string(fields[2]);
        type.nameEn = std::string(fields[3]);
        if (type.nameZh.empty() || type.nameEn.empty())
            fail("type '" + type.code + "' needs its Chinese and English names");
        if (fields.size() == 5)
            for (std::string_view category : splitWords(fields[4])) {
                if (!isDigits(category, 2) && !isDigits(category, 4))
                    fail("'" + std::string(category) + "' is neither a category (4 digits) nor a family (2 digits)");
                for (const IncidentType &other : out.mTypes)
                    if (std::find(other.categories.begin(), other.categories.end(), category) != other.categories.end())
                        fail("'" + std::string(category) + "' already belongs to type '" + other.code + "'");
                type.categories.emplace_back(category);
            }
        out.mTypes.push_back(std::move(type));
        out.mLines.push_back(line.number);
    }
    return out;
}

void IncidentTypes::validate(const CategoryCatalog &catalog) const
{
    for (std::size_t i = 0; i < mTypes.size(); ++i)
        for (const std::string &category : mTypes[i].categories)
            if (category.size() == 2 ? !catalog.family(category) : !catalog.find(category))
                throw ConfigError(mSource, mLines[i],
                                  "type '" + mTypes[i].code + "': '" + category + "' is not in the category catalog");
}

const IncidentType *IncidentTypes::find(std::string_view code) const
{
    for (const IncidentType &type : mTypes)
        if (type.code == code)
            return &type;
    return nullptr;
}

const IncidentType *IncidentTypes::forCategory(std::string_view category) const
{
    for (const std::string_view key : {category, category.substr(0, 2)})
        for (const IncidentType &type : mTypes)
            if (std::find(type.categories.begin(), type.categories.end(), key) != type.categories.end())
                return &type;
    return nullptr;
}

} // namespace gd::core
