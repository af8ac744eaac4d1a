#include "core/duplicatefinder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace gd::core {

namespace {

//! Decodes UTF-8 to code points; invalid bytes are skipped.
std::vector<char32_t> codePoints(std::string_view s)
{
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + std::size_t(len) > s.size()) {
            ++i;
            continue;
        }
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        bool ok = true;
        for (int k = 1; k < len; ++k) {
            const unsigned char cc = static_cast<unsigned char>(s[i + std::size_t(k)]);
            if ((cc & 0xC0) != 0x80) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        i += ok ? std::size_t(len) : 1;
        if (ok)
            out.push_back(cp);
    }
    return out;
}

bool ignorable(char32_t c)
{
    if (c < 0x80)
        return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    return (c >= 0x3000 && c <= 0x303F)     // CJK symbols and punctuation (、。「」…)
           || (c >= 0xFF00 && c <= 0xFF0F) // fullwidth ！＂＃…／
           || (c >= 0xFF1A && c <= 0xFF20) // fullwidth ：；＜＝＞？＠
           || (c >= 0x2000 && c <= 0x206F); // general punctuation (— “ ” …)
}

std::vector<std::uint64_t> bigrams(std::string_view text)
{
    std::vector<char32_t> cps;
    for (char32_t c : codePoints(text)) {
        if (ignorable(c))
            continue;
        if (c >= 'A' && c <= 'Z')
            c = c - 'A' + 'a';
        cps.push_back(c);
    }
    std::vector<std::uint64_t> out;
    if (cps.size() == 1)
        out.push_back(std::uint64_t(cps[0]) << 32); // a one-character text is its own "bigram"
    for (std::size_t i = 0; i + 1 < cps.size(); ++i)
        out.push_back((std::uint64_t(cps[i]) << 32) | cps[i + 1]);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace

double textSimilarity(std::string_view a, std::string_view b)
{
    const auto x = bigrams(a);
    const auto y = bigrams(b);
    if (x.empty() || y.empty())
        return 0.0;
    std::size_t common = 0;
    for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
        if (x[i] == y[j]) {
            ++common;
            ++i;
            ++j;
        } else if (x[i] < y[j]) {
            ++i;
        } else {
            ++j;
        }
    }
    return 2.0 * double(common) / double(x.size() + y.size());
}

DuplicateFinder::DuplicateFinder(const CategoryCatalog &catalog, Weights weights)
    : mCatalog(catalog)
    , mWeights(weights)
{
    const double sum = mWeights.distance + mWeights.time + mWeights.text;
    if (sum > 0) {
        mWeights.distance /= sum;
        mWeights.time /= sum;
        mWeights.text /= sum;
    }
}

std::vector<DuplicateCandidate> DuplicateFinder::candidates(const CaseSummary &fresh,
                                                            const std::vector<CaseSummary> &existing) const
{
    std::vector<DuplicateCandidate> out;
    const Category *category = mCatalog.find(fresh.categoryCode);
    if (!category)
        return out;
    const double radius = category->duplicateRadiusM;
    const double window = category->duplicateWindowHours;
    for (const CaseSummary &other : existing) {
        if (other.number == fresh.number)
            continue;
        const Category *otherCategory = mCatalog.find(other.categoryCode);
        if (!otherCategory || otherCategory->familyCode != category->familyCode)
            continue;
        const double d = distanceMeters(fresh.location, other.location);
        if (d > radius)
            continue;
        const double hours = std::fabs(double((fresh.reportedAt - other.reportedAt).count())) / 3600.0;
        if (hours > window)
            continue;
        DuplicateCandidate c;
        c.number = other.number;
        c.distanceM = d;
        c.hoursApart = hours;
        c.textSimilarity = textSimilarity(fresh.text, other.text);
        // A same-subcategory match is a little more likely than a sibling in the family.
        const double sameSub = otherCategory->code == category->code ? 1.0 : 0.9;
        c.score = sameSub * (mWeights.distance * (1.0 - d / radius) + mWeights.time * (1.0 - hours / window)
                             + mWeights.text * c.textSimilarity);
        out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [](const DuplicateCandidate &a, const DuplicateCandidate &b) {
        if (a.score != b.score)
            return a.score > b.score;
        return a.number < b.number;
    });
    return out;
}

} // namespace gd::core
