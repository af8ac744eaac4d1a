# cmake -DROOT=<source dir> -P no_sql.cmake: fails naming every line of src/console or src/apps
# that spells an SQL statement. The compile probes keep sqlite3.h out of those folders; this
# keeps out SQL handed to the store's own Database::query as well: all SQL lives in the store
# (issue 15).
file(GLOB_RECURSE files "${ROOT}/src/console/*.cpp" "${ROOT}/src/console/*.h"
                        "${ROOT}/src/apps/*.cpp" "${ROOT}/src/apps/*.h")
set(sql "(SELECT|INSERT INTO|INSERT OR|DELETE FROM|UPDATE [a-z_]+ SET|PRAGMA|CREATE (TABLE|INDEX|VIEW|TRIGGER)|INDEXED BY|BEGIN (IMMEDIATE|DEFERRED|EXCLUSIVE|TRANSACTION))")
set(found "")
foreach(file IN LISTS files)
  file(STRINGS "${file}" lines REGEX "${sql}" ENCODING UTF-8)
  foreach(line IN LISTS lines)
    file(RELATIVE_PATH name "${ROOT}" "${file}")
    string(APPEND found "\n  ${name}: ${line}")
  endforeach()
endforeach()
list(LENGTH files count)
if(found)
  message(FATAL_ERROR "SQL outside src/store (issue 15):${found}")
endif()
message(STATUS "no SQL in ${count} console and apps files")
