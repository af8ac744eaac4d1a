# Helpers every layer uses, so each CMakeLists.txt stays a list of sources.

# Warnings for our code only; third-party headers come in as SYSTEM includes.
function(gd_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
    -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual -Wformat=2)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wshadow=local) # clang has no =local form
  endif()
  if(GD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# gd_add_library(<name> SOURCES ... [DIR <folder under src/>] [DEPS ...] [PUBLIC_DEPS ...])
# Creates the static library gd_<name> from src/<DIR> (default: src/<name>). Its include root
# holds nothing but its own folder (a link in the build tree, include/gd_<name>/<DIR> ->
# src/<DIR>), so a file sees another layer's headers only when its library links that layer:
# the layers' one direction of dependency is checked by the compiler (tests/layers).
function(gd_add_library name)
  cmake_parse_arguments(ARG "" "DIR" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  if(NOT ARG_DIR)
    set(ARG_DIR ${name})
  endif()
  gd_include_root(root gd_${name} ${ARG_DIR})
  add_library(gd_${name} STATIC ${ARG_SOURCES})
  target_include_directories(gd_${name} PUBLIC "${root}" "${PROJECT_BINARY_DIR}/generated")
  target_link_libraries(gd_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_DEPS})
  set_target_properties(gd_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  gd_set_warnings(gd_${name})
endfunction()

# gd_include_root(<var> <owner> <folder under src/>): the include root of <owner>, holding a
# link to src/<folder> only; its path in <var>.
function(gd_include_root var owner dir)
  set(root "${PROJECT_BINARY_DIR}/include/${owner}")
  get_filename_component(parent "${root}/${dir}" DIRECTORY)
  file(MAKE_DIRECTORY "${parent}")
  file(CREATE_LINK "${PROJECT_SOURCE_DIR}/src/${dir}" "${root}/${dir}" SYMBOLIC)
  set(${var} "${root}" PARENT_SCOPE)
endfunction()

# gd_add_test(<name> SOURCES ... [DEPS ...] [LABELS ...] [QGIS])
# One GoogleTest executable, discovered by ctest. QGIS tests share the offscreen
# QgsApplication environment in tests/support and get the offscreen Qt platform.
function(gd_add_test name)
  cmake_parse_arguments(ARG "QGIS" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest Threads::Threads)
  target_compile_definitions(${name} PRIVATE
    GD_SOURCE_DIR="${PROJECT_SOURCE_DIR}" GD_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(ARG_QGIS)
    target_link_libraries(${name} PRIVATE gd_testsupport_qgis)
  else()
    target_link_libraries(${name} PRIVATE GTest::gtest_main)
  endif()
  gd_set_warnings(${name})
  set(props "")
  if(ARG_QGIS)
    list(APPEND props ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${props}
    DISCOVERY_MODE PRE_TEST)
  # Labels are set on the discovered tests by a script ctest reads after the discovery's
  # (TEST_INCLUDE_FILES in order): gtest_discover_tests flattens its PROPERTIES, so that
  # "LABELS store;postgres" gave the label store and a property named postgres.
  if(ARG_LABELS)
    set(labels_script "${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake")
    file(WRITE "${labels_script}"
      "if(${name}_TESTS)\n"
      "  set_tests_properties(\${${name}_TESTS} PROPERTIES LABELS \"${ARG_LABELS}\")\n"
      "endif()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${labels_script}")
  endif()
endfunction()

# gd_add_program(<name> SOURCES ... DEPS ...): one of the four installed programs.
# Its own folder (src/apps/<folder>) is its include root's only addition to what it links; it
# holds no SQL and cannot include sqlite3.h (gd_forbid_sqlite).
function(gd_add_program name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  file(RELATIVE_PATH dir "${PROJECT_SOURCE_DIR}/src" "${CMAKE_CURRENT_SOURCE_DIR}")
  gd_include_root(root ${name} ${dir})
  target_include_directories(${name} PRIVATE "${root}")
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  gd_forbid_sqlite(${name})
  gd_set_warnings(${name})
  install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endfunction()

# gd_forbid_sqlite(<target>): the target's own files cannot include <sqlite3.h>. All SQL lives in
# the store (issue 15); the console and the programs reach it through src/store's typed functions.
# sqlite3.h is in /usr/include, which every compile searches after the -I directories, so an
# include root cannot hide it: a directory searched first holds a sqlite3.h that stops the
# compile with a message naming the rule. PRIVATE: a test may still open a store file raw to
# check what the store wrote. Checked by tests/layers (ConsoleCannotIncludeSqlite and
# AppsCannotIncludeSqlite).
function(gd_forbid_sqlite target)
  set(dir "${PROJECT_BINARY_DIR}/include/gd_poison")
  file(CONFIGURE OUTPUT "${dir}/sqlite3.h" CONTENT
"// Generated by gd_forbid_sqlite (cmake/GridDispatchHelpers.cmake): found before the real one.
#error \"sqlite3.h: the console and programs reach the store through src/store (issue 15)\"
")
  target_include_directories(${target} BEFORE PRIVATE "${dir}")
endfunction()
