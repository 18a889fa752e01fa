# Runs the built soniabk to write its completion scripts: cmake -DSONIABK=... -DOUTPUT_DIR=... -P this file.
file(MAKE_DIRECTORY ${OUTPUT_DIR})
foreach(pair "bash;soniabk.bash" "zsh;_soniabk" "fish;soniabk.fish" "powershell;soniabk.ps1")
  list(GET pair 0 shell)
  list(GET pair 1 name)
  execute_process(
    COMMAND ${SONIABK} completion ${shell}
    OUTPUT_FILE ${OUTPUT_DIR}/${name}.tmp
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "soniabk completion ${shell} failed (${status})")
  endif()
  file(RENAME ${OUTPUT_DIR}/${name}.tmp ${OUTPUT_DIR}/${name})
endforeach()
