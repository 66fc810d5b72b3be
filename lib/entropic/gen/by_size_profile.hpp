// by_size_profile(standard, large): a generator that draws from `large` under `--profile large`
// (gen/size_profile.hpp) and from `standard` otherwise, the choice made when an instance is
// generated. `standard` receives the very Random and size it would have received alone, so its
// draws, and the replay strings of its past failures, are those of the generator before the
// profile existed (a branch inside rc::gen::exec would draw the standard instance from another
// split of the random stream).
#pragma once

#include <rapidcheck.h>

#include <utility>

#include "entropic/gen/size_profile.hpp"

namespace entropic::gen {

template <class T>
rc::Gen<T> by_size_profile(rc::Gen<T> standard, rc::Gen<T> large) {
  return rc::Gen<T>([standard = std::move(standard), large = std::move(large)](const rc::Random& random, int size) {
    return size_profile() == SizeProfile::large ? large(random, size) : standard(random, size);
  });
}

}  // namespace entropic::gen
