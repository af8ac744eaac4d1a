# CPack: `cpack -G DEB` in the build directory makes griddispatch_<version>_<arch>.deb with the
# four programs, the configuration, map styles and translations. Shared-library dependencies
# are computed from the binaries by dpkg-shlibdeps, so `apt-get install ./griddispatch_*.deb`
# pulls in exactly the Qt, QGIS, SQLite and OpenSSL runtime libraries they link; packages that
# are loaded at run time rather than linked are listed by hand.
set(CPACK_PACKAGE_NAME "griddispatch")
set(CPACK_PACKAGE_VENDOR "GridDispatch")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Command and dispatch console for comprehensive governance centers (网格综治指挥台)")
set(CPACK_PACKAGE_DESCRIPTION
  "GridDispatch shows a district's five-level grid tree on a QGIS map, takes cases from field\n"
  "terminals and hotlines through its field-feed gateway, and carries them from report to\n"
  "archive with working-day deadlines, supervision and emergency dispatch.")
set(CPACK_PACKAGE_CONTACT "GridDispatch maintainers <maintainers@griddispatch.invalid>")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}") # the prefix the programs look in
set(CPACK_GENERATOR "DEB")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time, not linked: QGIS's provider plugins (postgres, spatialite…), the CJK fonts
# the Chinese interface needs, Qt's own translations and its SVG icon engine.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qgis-providers, fonts-noto-cjk, qttranslations5-l10n, libqt5svg5")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gdal-bin")

include(CPack)
