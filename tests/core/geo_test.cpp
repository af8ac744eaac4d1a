#include "core/geo.h"

#include <gtest/gtest.h>

using namespace gd::core;

// Reference values published with the widely used coordtransform / eviltransform libraries.
TEST(Geo, Wgs84ToGcj02KnownPoints)
{
    const GeoPoint g = wgs84ToGcj02({116.404, 39.915});
    EXPECT_NEAR(g.lon, 116.41024449916938, 1e-9);
    EXPECT_NEAR(g.lat, 39.91640428150164, 1e-9);
    const GeoPoint sh = wgs84ToGcj02({121.5272106, 31.1774276});
    EXPECT_NEAR(sh.lon, 121.531541859215, 1e-9);
    EXPECT_NEAR(sh.lat, 31.17530398364597, 1e-9);
    const GeoPoint bj = wgs84ToGcj02({116.377817, 39.911954});
    EXPECT_NEAR(bj.lon, 116.38404722455657, 1e-9);
    EXPECT_NEAR(bj.lat, 39.91334545536069, 1e-9);
}

TEST(Geo, Gcj02Bd09KnownPoints)
{
    const GeoPoint b = gcj02ToBd09({116.404, 39.915});
    EXPECT_NEAR(b.lon, 116.41036949371029, 1e-9);
    EXPECT_NEAR(b.lat, 39.92133699351021, 1e-9);
    const GeoPoint g = bd09ToGcj02({116.404, 39.915});
    EXPECT_NEAR(g.lon, 116.39762729119315, 1e-9);
    EXPECT_NEAR(g.lat, 39.90865673957631, 1e-9);
}

TEST(Geo, InverseConversionsRoundTripUnderHalfAMetre)
{
    for (GeoPoint p : {GeoPoint{116.404, 39.915}, GeoPoint{98.5121, 39.7432}, GeoPoint{121.47, 31.23},
                       GeoPoint{113.26, 23.13}, GeoPoint{87.6, 43.8}}) {
        for (Crs crs : {Crs::Gcj02, Crs::Bd09, Crs::Wgs84, Crs::Cgcs2000}) {
            const GeoPoint there = fromCgcs2000(p, crs);
            const GeoPoint back = toCgcs2000(there, crs);
            EXPECT_LT(distanceMeters(p, back), 0.5) << crsName(crs) << " at " << p.lon << "," << p.lat;
        }
    }
}

TEST(Geo, InversesRecoverThePublishedForwardPairs)
{
    // coordtransform: WGS-84 (116.404, 39.915) → GCJ-02 (116.41024449916938, 39.91640428150164).
    const GeoPoint gcj{116.41024449916938, 39.91640428150164};
    EXPECT_LT(distanceMeters(toCgcs2000(gcj, Crs::Gcj02), {116.404, 39.915}), 0.05);
    // … and GCJ-02 (116.404, 39.915) → BD-09 (116.41036949371029, 39.92133699351021): BD-09 back to WGS-84
    // must land where the GCJ-02 inverse of (116.404, 39.915) lands.
    const GeoPoint bd{116.41036949371029, 39.92133699351021};
    EXPECT_LT(distanceMeters(toCgcs2000(bd, Crs::Bd09), toCgcs2000({116.404, 39.915}, Crs::Gcj02)), 0.05);
}

TEST(Geo, NoOffsetOutsideChina)
{
    const GeoPoint paris{2.35, 48.85};
    EXPECT_EQ(fromCgcs2000(paris, Crs::Gcj02), paris);
    EXPECT_EQ(toCgcs2000(paris, Crs::Gcj02), paris);
}

TEST(Geo, ParsesCrsNames)
{
    EXPECT_EQ(parseCrs("WGS84"), Crs::Wgs84);
    EXPECT_EQ(parseCrs("cgcs2000"), Crs::Cgcs2000);
    EXPECT_EQ(parseCrs("GCJ-02"), Crs::Gcj02);
    EXPECT_EQ(parseCrs("BD09"), Crs::Bd09);
    EXPECT_FALSE(parseCrs("UTM"));
    for (Crs c : {Crs::Wgs84, Crs::Cgcs2000, Crs::Gcj02, Crs::Bd09})
        EXPECT_EQ(parseCrs(crsName(c)), c);
}

TEST(Geo, HaversineDistance)
{
    // One degree of latitude on the mean sphere: 6,371,008.8 · π / 180.
    EXPECT_NEAR(distanceMeters({98.5, 39.0}, {98.5, 40.0}), 111195.08, 0.01);
    EXPECT_DOUBLE_EQ(distanceMeters({98.5, 39.7}, {98.5, 39.7}), 0.0);
}
