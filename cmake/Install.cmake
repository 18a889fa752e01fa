include(GNUInstallDirs)
install(TARGETS soniabk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 FILES_MATCHING PATTERN "*.1")
# Completions generated at build time (apps/soniabk/CMakeLists.txt), in each shell's standard place.
if(TARGET soniabk_completions)
  set(_completions ${CMAKE_BINARY_DIR}/completions)
  install(FILES ${_completions}/soniabk.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME soniabk)
  install(FILES ${_completions}/_soniabk DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
  install(FILES ${_completions}/soniabk.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
  install(FILES ${_completions}/soniabk.ps1 DESTINATION ${CMAKE_INSTALL_DATADIR}/soniabk/completions)
endif()
install(DIRECTORY examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples USE_SOURCE_PERMISSIONS)
