// Small helpers for numpy buffers in the bindings. The Python layer checks
// dtypes, shapes and values; these helpers only re-check shapes defensively.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace bigrad {

template <typename T>
using CArray = pybind11::array_t<T, pybind11::array::c_style>;

template <typename T>
CArray<T> empty_array(std::vector<pybind11::ssize_t> shape) {
  return CArray<T>(shape);
}

inline void require_ndim(const pybind11::array& a, int ndim, const char* name) {
  if (a.ndim() != ndim) {
    throw std::invalid_argument(std::string(name) + " must have " + std::to_string(ndim) +
                                " dimensions, got " + std::to_string(a.ndim()));
  }
}

}  // namespace bigrad
