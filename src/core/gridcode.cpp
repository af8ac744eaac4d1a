#include "core/gridcode.h"

#include <array>

namespace gd::core {

namespace {

// GB/T 2260 province-level prefixes.
bool validProvince(int p)
{
    static constexpr std::array<int, 34> provinces{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                                   35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                                   53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
    for (int q : provinces)
        if (q == p)
            return true;
    return false;
}

} // namespace

std::string_view gridLevelName(GridLevel level)
{
    switch (level) {
    case GridLevel::District: return "district";
    case GridLevel::Township: return "township";
    case GridLevel::Community: return "community";
    case GridLevel::Grid: return "grid";
    case GridLevel::MicroGrid: return "micro_grid";
    }
    return "district";
}

std::string_view gridLevelNameZh(GridLevel level)
{
    switch (level) {
    case GridLevel::District: return "区县";
    case GridLevel::Township: return "乡镇/街道";
    case GridLevel::Community: return "村/社区";
    case GridLevel::Grid: return "网格";
    case GridLevel::MicroGrid: return "微网格";
    }
    return "区县";
}

std::optional<GridLevel> parseGridLevel(std::string_view name)
{
    for (GridLevel l : {GridLevel::District, GridLevel::Township, GridLevel::Community, GridLevel::Grid,
                        GridLevel::MicroGrid})
        if (gridLevelName(l) == name)
            return l;
    return std::nullopt;
}

std::optional<GridCode> GridCode::parse(std::string_view text, std::string *whyNot)
{
    const auto refuse = [&](std::string reason) -> std::optional<GridCode> {
        if (whyNot)
            *whyNot = std::move(reason);
        return std::nullopt;
    };
    const std::string quoted = "grid code '" + std::string(text) + "'";
    for (char c : text)
        if (c < '0' || c > '9')
            return refuse(quoted + " must contain digits only");
    const std::size_t n = text.size();
    if (n != 6 && n != 9 && n != 12 && n != 15 && n != 18)
        return refuse(quoted + " has " + std::to_string(n) + " digits; expected 6, 9, 12, 15 or 18");
    const int province = (text[0] - '0') * 10 + (text[1] - '0');
    if (!validProvince(province))
        return refuse(quoted + ": '" + std::string(text.substr(0, 2)) + "' is not a GB/T 2260 province code");
    if (text.substr(4, 2) == "00")
        return refuse(quoted + ": administrative code " + std::string(text.substr(0, 6))
                      + " names a prefecture, not a district or county (last two digits 00)");
    static const char *const segmentNames[] = {"township", "community", "grid", "micro-grid"};
    for (std::size_t pos = 6, i = 0; pos < n; pos += 3, ++i)
        if (text.substr(pos, 3) == "000")
            return refuse(quoted + ": the " + segmentNames[i] + " segment (digits " + std::to_string(pos + 1) + "-"
                          + std::to_string(pos + 3) + ") is 000");
    return GridCode(std::string(text));
}

GridLevel GridCode::level() const
{
    if (mCode.size() < 6)
        return GridLevel::District;
    return static_cast<GridLevel>((mCode.size() - 6) / 3);
}

std::optional<GridCode> GridCode::parent() const
{
    if (mCode.size() <= 6)
        return std::nullopt;
    return GridCode(mCode.substr(0, mCode.size() - 3));
}

bool GridCode::isAncestorOf(const GridCode &other) const
{
    return !isNull() && other.mCode.size() > mCode.size() && other.mCode.compare(0, mCode.size(), mCode) == 0;
}

std::optional<GridCode> GridCode::ancestorAt(GridLevel target) const
{
    const std::size_t length = 6 + 3 * static_cast<std::size_t>(target);
    if (length > mCode.size())
        return std::nullopt;
    return GridCode(mCode.substr(0, length));
}

} // namespace gd::core
