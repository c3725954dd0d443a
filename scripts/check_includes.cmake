# The include rule of one library (see juesuan_library in CMakeLists.txt): every
# #include "stages/..." or "pipeline/..." in FILES must start with one of ALLOWED (folders
# ending in "/", or exact headers). Fails the build otherwise; writes STAMP when all is well.
#   cmake -DFILES="a.cpp|b.h" -DALLOWED="stages/common/|pipeline/document.h" -DLIBRARY=name
#         -DSTAMP=file -P scripts/check_includes.cmake
string(REPLACE "|" ";" FILES "${FILES}")
string(REPLACE "|" ";" ALLOWED "${ALLOWED}")
set(bad "")
foreach(file IN LISTS FILES)
  if(file STREQUAL "")
    continue()
  endif()
  file(STRINGS "${file}" lines REGEX "^#include \"(stages|pipeline)/")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${line}")
    set(ok FALSE)
    foreach(prefix IN LISTS ALLOWED)
      string(FIND "${header}" "${prefix}" at)
      if(at EQUAL 0)
        set(ok TRUE)
        break()
      endif()
    endforeach()
    if(NOT ok)
      list(APPEND bad "${file}: includes ${header}")
    endif()
  endforeach()
endforeach()
if(bad)
  list(JOIN bad "\n  " text)
  message(FATAL_ERROR "${LIBRARY} may include only ${ALLOWED}; these reach outside:\n  ${text}\n"
                      "Link the library in CMakeLists.txt (if the dependency points down the "
                      "pipeline) or move the code to the folder that owns it.")
endif()
file(WRITE "${STAMP}" "ok\n")
