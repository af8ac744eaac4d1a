# FindQGIS.cmake — finds the QGIS core and gui libraries as Debian installs them
# (headers in /usr/include/qgis, libqgis_core.so and libqgis_gui.so in /usr/lib; Debian ships
# no CMake config package for QGIS), and the Qt that QGIS was built with.
#
# Result:
#   QGIS::Core, QGIS::Gui     imported targets (with the matching Qt libraries linked)
#   QGIS_VERSION              e.g. 3.22.16
#   QGIS_PREFIX_PATH          the prefix QgsApplication must be given so providers load (/usr)
#   QGIS_PLUGIN_DIR           where the provider plugins are (/usr/lib/qgis/plugins)
#   GD_QT_MAJOR               5 or 6: the Qt major version QGIS links against
#   GD_QT                     "Qt5" or "Qt6", for find_package(${GD_QT} ...) and targets ${GD_QT}::Widgets

find_path(QGIS_INCLUDE_DIR qgsapplication.h PATH_SUFFIXES qgis)
find_library(QGIS_CORE_LIBRARY NAMES qgis_core)
find_library(QGIS_GUI_LIBRARY NAMES qgis_gui)

if(QGIS_INCLUDE_DIR AND EXISTS "${QGIS_INCLUDE_DIR}/qgsconfig.h")
  file(STRINGS "${QGIS_INCLUDE_DIR}/qgsconfig.h" _qgis_version_line REGEX "^#define VERSION_INT ")
  string(REGEX REPLACE ".*VERSION_INT ([0-9]+).*" "\\1" _qgis_version_int "${_qgis_version_line}")
  math(EXPR _major "${_qgis_version_int} / 10000")
  math(EXPR _minor "(${_qgis_version_int} / 100) % 100")
  math(EXPR _patch "${_qgis_version_int} % 100")
  set(QGIS_VERSION "${_major}.${_minor}.${_patch}")
endif()

# Which Qt does libqgis_core need? Read its DT_NEEDED entries; qgsconfig.h's plugin dir is a fallback.
set(GD_QT_MAJOR "" CACHE STRING "Qt major version QGIS was built with (detected when empty)")
if(NOT GD_QT_MAJOR AND QGIS_CORE_LIBRARY)
  find_program(_gd_readelf NAMES readelf)
  if(_gd_readelf)
    execute_process(COMMAND ${_gd_readelf} -d "${QGIS_CORE_LIBRARY}" OUTPUT_VARIABLE _needed ERROR_QUIET)
    if(_needed MATCHES "libQt6Core")
      set(GD_QT_MAJOR 6 CACHE STRING "" FORCE)
    elseif(_needed MATCHES "libQt5Core")
      set(GD_QT_MAJOR 5 CACHE STRING "" FORCE)
    endif()
  endif()
  if(NOT GD_QT_MAJOR AND EXISTS "${QGIS_INCLUDE_DIR}/qgsconfig.h")
    file(STRINGS "${QGIS_INCLUDE_DIR}/qgsconfig.h" _plugins REGEX "QT_PLUGINS_DIR")
    if(_plugins MATCHES "qt6")
      set(GD_QT_MAJOR 6 CACHE STRING "" FORCE)
    else()
      set(GD_QT_MAJOR 5 CACHE STRING "" FORCE)
    endif()
  endif()
endif()
set(GD_QT "Qt${GD_QT_MAJOR}")

get_filename_component(_libdir "${QGIS_CORE_LIBRARY}" DIRECTORY)
get_filename_component(QGIS_PREFIX_PATH "${_libdir}/.." ABSOLUTE)
if(QGIS_PREFIX_PATH STREQUAL "/usr/lib")
  set(QGIS_PREFIX_PATH "/usr")
endif()
find_path(QGIS_PLUGIN_DIR NAMES libprovider_postgres.so libprovider_spatialite.so
  PATHS "${QGIS_PREFIX_PATH}/lib/qgis/plugins" "${_libdir}/qgis/plugins" NO_DEFAULT_PATH)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(QGIS
  REQUIRED_VARS QGIS_INCLUDE_DIR QGIS_CORE_LIBRARY QGIS_GUI_LIBRARY GD_QT_MAJOR
  VERSION_VAR QGIS_VERSION)

if(QGIS_FOUND)
  find_package(${GD_QT} REQUIRED COMPONENTS Core Gui Widgets Xml Svg Network Concurrent PrintSupport Test LinguistTools)
  if(NOT TARGET QGIS::Core)
    add_library(QGIS::Core SHARED IMPORTED)
    set_target_properties(QGIS::Core PROPERTIES IMPORTED_LOCATION "${QGIS_CORE_LIBRARY}")
    # SYSTEM: QGIS headers are not ours to keep warning-free.
    target_include_directories(QGIS::Core SYSTEM INTERFACE "${QGIS_INCLUDE_DIR}")
    target_link_libraries(QGIS::Core INTERFACE ${GD_QT}::Core ${GD_QT}::Gui ${GD_QT}::Widgets
      ${GD_QT}::Xml ${GD_QT}::Svg ${GD_QT}::Network ${GD_QT}::Concurrent ${GD_QT}::PrintSupport)
    add_library(QGIS::Gui SHARED IMPORTED)
    set_target_properties(QGIS::Gui PROPERTIES IMPORTED_LOCATION "${QGIS_GUI_LIBRARY}")
    target_link_libraries(QGIS::Gui INTERFACE QGIS::Core)
  endif()
endif()
mark_as_advanced(QGIS_INCLUDE_DIR QGIS_CORE_LIBRARY QGIS_GUI_LIBRARY QGIS_PLUGIN_DIR)
