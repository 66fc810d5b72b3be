// T12's Example B (anisotropic label noise, f = U w x) and isotropic d-dimensional input
// (f = w u^T x): instances and checks, for the claim in t12_sharpness_flatness.cpp. The formulas are
// at the definitions in t12_anisotropic.cpp.
#pragma once

#include <rapidcheck.h>

#include <string>

#include "entropic/numeric/kind.hpp"
#include "entropic/verify/verdict.hpp"

namespace entropic::t12 {

// Sigma_eps = diag(s1, s2) with s1/(s1 + s2) = (k/m)^4; w a comparison point on the manifold U w = V*.
struct ExampleB {
  static int parameter_count() { return 3; }  // widths [1, 1, 2]
  int k = 1, m = 2;
  Rational w;
  int copies() const { return m * m * m * m - k * k * k * k; }
  Rational s1() const { return Rational(k * k * k * k, 1 + copies()); }
  Rational s2() const { return Rational(copies(), 1 + copies()); }
  std::string show() const;
};
rc::Gen<ExampleB> examples_b();
Verdict example_b(const ExampleB& b);
Verdict phi1_proportional_to_trace(const ExampleB& b);  // mutant

// Sigma_x = I_d, d = root^2, ||v|| = sqrt(d) a^2 so that w_e = a; v = ||v|| R e1; w a comparison point.
struct Isotropic {
  int parameter_count() const { return root * root + 1; }  // widths [root^2, 1, 1]
  int root = 1;
  Rational a, w;
  Mat<Rational> R;
  int d() const { return root * root; }
  Rational norm_v() const { return root * a * a; }
  Vec<Rational> v() const { return norm_v() * R.col(0); }
  std::string show() const;
};
rc::Gen<Isotropic> isotropic_examples();
Verdict isotropic(const Isotropic& i);
Verdict isotropic_flattest(const Isotropic& i);  // mutant

}  // namespace entropic::t12
