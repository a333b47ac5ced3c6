/* version.h -- moneta's version, set by CMake. */
#ifndef MN_CORE_VERSION_H
#define MN_CORE_VERSION_H
#ifndef MONETA_VERSION
#define MONETA_VERSION "0.1.0"
#endif
#endif
