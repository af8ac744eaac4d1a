#pragma once
// Unit-grid codes (网格编码): 6-digit administrative division code (GB/T 2260) for the
// district, + 3 digits township (乡镇/街道), + 3 community (村/社区), + 3 grid (网格),
// + 3 micro-grid (微网格): 6, 9, 12, 15 or 18 digits. A segment below the district is never "000".

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace gd::core {

enum class GridLevel
{
    District = 0,  //!< 区县
    Township = 1,  //!< 乡镇/街道
    Community = 2, //!< 村/社区
    Grid = 3,      //!< 网格
    MicroGrid = 4  //!< 微网格
};

std::string_view gridLevelName(GridLevel level); //!< "district", "township", "community", "grid", "micro_grid"
std::string_view gridLevelNameZh(GridLevel level); //!< "区县", "乡镇/街道", "村/社区", "网格", "微网格"
std::optional<GridLevel> parseGridLevel(std::string_view name);

class GridCode
{
  public:
    //! A null code (isNull()); only parse() makes valid codes. Exists so GridNode etc. are default-constructible.
    GridCode() = default;

    //! True for a default-constructed code.
    bool isNull() const { return mCode.empty(); }

    /**
     * Parses \a text; on failure returns nullopt and, when \a whyNot is given, stores why
     * ("grid code '1101' has 4 digits; expected 6, 9, 12, 15 or 18").
     */
    static std::optional<GridCode> parse(std::string_view text, std::string *whyNot = nullptr);

    const std::string &str() const { return mCode; }
    //! The level from the code's length (District for a null code).
    GridLevel level() const;
    //! The 6-digit district (administrative) code.
    std::string_view adminCode() const { return std::string_view(mCode).substr(0, 6); }
    //! The parent code; nullopt for a district.
    std::optional<GridCode> parent() const;
    //! True when this is a strict ancestor of \a other.
    bool isAncestorOf(const GridCode &other) const;
    //! True when this equals \a other or is its ancestor.
    bool contains(const GridCode &other) const { return *this == other || isAncestorOf(other); }
    //! The ancestor of this code at \a level (itself at its own level); nullopt below its level.
    std::optional<GridCode> ancestorAt(GridLevel level) const;

    friend bool operator==(const GridCode &, const GridCode &) = default;
    friend auto operator<=>(const GridCode &, const GridCode &) = default;

  private:
    explicit GridCode(std::string code) : mCode(std::move(code)) {}
    std::string mCode;
};

} // namespace gd::core
