# Renders each man page as plain text with groff (as `man` shows it on a terminal) and embeds them all in one
# C++ source, so `soniabk help COMMAND` prints the same text on every platform, Windows included:
# cmake -DGROFF=... -DMAN_DIR=... -DTEXT_DIR=... -DOUTPUT=... -P this file.
file(MAKE_DIRECTORY ${TEXT_DIR})
file(GLOB pages ${MAN_DIR}/*.1)
list(SORT pages)
set(delimiter "soniabk_manual")
set(entries "")
foreach(page ${pages})
  get_filename_component(name ${page} NAME_WE)
  execute_process(
    COMMAND ${GROFF} -man -ww -Tascii -P-cbou ${page}
    OUTPUT_FILE ${TEXT_DIR}/${name}.txt
    ERROR_VARIABLE warnings
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0 OR NOT warnings STREQUAL "")
    message(FATAL_ERROR "groff could not render ${page}: ${warnings}")
  endif()
  file(READ ${TEXT_DIR}/${name}.txt text)
  string(FIND "${text}" ")${delimiter}" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${page} contains the raw-string delimiter ${delimiter}")
  endif()
  string(APPEND entries "    {\"${name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from man/*.1 by cmake/EmbedManual.cmake: do not edit.\n#include \"manual.hpp\"\n\n"
     "namespace soniabk::cli {\n\nconst std::vector<ManualPage>& manual_pages() {\n"
     "    static const std::vector<ManualPage> pages = {\n${entries}    };\n    return pages;\n}\n\n}  // namespace soniabk::cli\n")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
