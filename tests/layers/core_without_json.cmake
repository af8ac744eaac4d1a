# Fails when a file of src/core names nlohmann/json. Core holds typed commands and events;
# JSON lives at the edges (feed's wire codec, the store's serialisation). A compile probe
# cannot prove this: nlohmann is installed in /usr/include, which every target sees.
#   cmake -DCORE_DIR=<src/core> -P core_without_json.cmake
file(GLOB_RECURSE files "${CORE_DIR}/*.h" "${CORE_DIR}/*.hpp" "${CORE_DIR}/*.cpp")
set(offenders)
foreach(file IN LISTS files)
  file(STRINGS "${file}" hits REGEX "nlohmann")
  if(hits)
    file(RELATIVE_PATH name "${CORE_DIR}" "${file}")
    list(APPEND offenders "core/${name}")
  endif()
endforeach()
list(LENGTH files count)
if(count EQUAL 0)
  message(FATAL_ERROR "no sources found under ${CORE_DIR}")
endif()
if(offenders)
  list(JOIN offenders ", " names)
  message(FATAL_ERROR "core must not use nlohmann/json (JSON belongs to feed and store): ${names}")
endif()
message(STATUS "${count} core files, none uses nlohmann/json")
