# smolwip CMake module: use smolwip as the lwIP library of a CMake project.
#
#   set(SMOLWIP_BUILD_DIR /path/to/smolwip/build)   # what `make` produced (default: ../build)
#   include(/path/to/smolwip/cmake/smolwip.cmake)
#
# gives
#   lwip::lwip          imported static library (liblwip.a) with the profile's include dirs
#   lwip::lwip_shared   imported shared library (liblwip.so.0), same include dirs
#   smolwip_replace_lwip(<target> [SHARED])
#                       replaces whatever lwIP library <target> links (an `lwip` target, -llwip,
#                       a path to liblwip.a/.so) with lwip::lwip (or lwip::lwip_shared), in its
#                       LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES. No --wrap flags: smolwip
#                       exports lwIP's own symbol names.

if(NOT DEFINED SMOLWIP_BUILD_DIR)
  get_filename_component(SMOLWIP_BUILD_DIR "${CMAKE_CURRENT_LIST_DIR}/../build" ABSOLUTE)
endif()
if(NOT EXISTS "${SMOLWIP_BUILD_DIR}/lwip.pc")
  message(FATAL_ERROR "smolwip: ${SMOLWIP_BUILD_DIR}/lwip.pc not found; run `make` in the smolwip tree first")
endif()

# The include directories are the profile's (and smolwip's own), exactly as lwip.pc says.
file(STRINGS "${SMOLWIP_BUILD_DIR}/lwip.pc" _smolwip_cflags REGEX "^Cflags:")
string(REGEX REPLACE "^Cflags:[ ]*" "" _smolwip_cflags "${_smolwip_cflags}")
string(REPLACE "\${includedir}" "${SMOLWIP_BUILD_DIR}/include" _smolwip_cflags "${_smolwip_cflags}")
separate_arguments(_smolwip_cflags UNIX_COMMAND "${_smolwip_cflags}")
set(_smolwip_incdirs "")
set(_smolwip_other_flags "")
foreach(_flag IN LISTS _smolwip_cflags)
  if(_flag MATCHES "^-I(.+)")
    list(APPEND _smolwip_incdirs "${CMAKE_MATCH_1}")
  else()
    list(APPEND _smolwip_other_flags "${_flag}")
  endif()
endforeach()

if(NOT TARGET lwip::lwip)
  find_package(Threads REQUIRED)
  add_library(lwip::lwip STATIC IMPORTED GLOBAL)
  set_target_properties(lwip::lwip PROPERTIES
    IMPORTED_LOCATION "${SMOLWIP_BUILD_DIR}/liblwip.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_smolwip_incdirs}"
    INTERFACE_COMPILE_OPTIONS "${_smolwip_other_flags}"
    # What the library needs from the C library when linked statically (it is built
    # without Rust's std: libc and pthreads only).
    INTERFACE_LINK_LIBRARIES "Threads::Threads;m;rt")

  add_library(lwip::lwip_shared SHARED IMPORTED GLOBAL)
  set_target_properties(lwip::lwip_shared PROPERTIES
    IMPORTED_LOCATION "${SMOLWIP_BUILD_DIR}/liblwip.so.0"
    IMPORTED_SONAME "liblwip.so.0"
    INTERFACE_INCLUDE_DIRECTORIES "${_smolwip_incdirs}"
    INTERFACE_COMPILE_OPTIONS "${_smolwip_other_flags}")
endif()

# True when a link item names an lwIP library that smolwip replaces.
function(_smolwip_is_lwip item out)
  set(_is FALSE)
  if(item STREQUAL "lwip" OR item STREQUAL "-llwip" OR item STREQUAL "lwip::lwip_upstream"
     OR item MATCHES "(^|/)liblwip\\.(a|so(\\.[0-9.]+)?)$")
    set(_is TRUE)
  elseif(TARGET "${item}")
    get_target_property(_aliased "${item}" ALIASED_TARGET)
    get_target_property(_loc "${item}" IMPORTED_LOCATION)
    if(_loc MATCHES "(^|/)liblwip\\.(a|so(\\.[0-9.]+)?)$" AND NOT item MATCHES "^lwip::lwip")
      set(_is TRUE)
    elseif(_aliased AND _aliased STREQUAL "lwip")
      set(_is TRUE)
    endif()
  endif()
  set(${out} ${_is} PARENT_SCOPE)
endfunction()

function(smolwip_replace_lwip target)
  cmake_parse_arguments(ARG "SHARED" "" "" ${ARGN})
  set(_ours lwip::lwip)
  if(ARG_SHARED)
    set(_ours lwip::lwip_shared)
  endif()
  set(_replaced FALSE)
  foreach(_prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(_libs ${target} ${_prop})
    if(NOT _libs)
      continue()
    endif()
    set(_new "")
    foreach(_lib IN LISTS _libs)
      _smolwip_is_lwip("${_lib}" _is)
      if(_is)
        list(APPEND _new ${_ours})
        set(_replaced TRUE)
      else()
        list(APPEND _new "${_lib}")
      endif()
    endforeach()
    list(REMOVE_DUPLICATES _new)
    set_property(TARGET ${target} PROPERTY ${_prop} "${_new}")
  endforeach()
  if(NOT _replaced)
    message(FATAL_ERROR "smolwip_replace_lwip(${target}): the target links no lwIP library")
  endif()
  message(STATUS "smolwip: ${target} now links ${_ours} instead of lwIP")
endfunction()
