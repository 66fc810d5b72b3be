// entropic: the library, the claim vocabulary and the generators of exact instances, in one include.
//
//   #include <entropic/entropic.hpp>
//
//   ENTROPIC_CLAIM(U1) {
//     return entropic::Claim("U1", "my law").provenance(entropic::Provenance::derived)
//         .part("law", "the law at every step", entropic::gen::training_run(shape))
//             .observe(what_the_run_does).predict(what_my_law_says)
//             .mutant("wrong", "a plausible error", what_a_wrong_law_says);
//   }
//
// The theory headers with heavy multiprecision decompositions (entropic/theory/limiting_drift.hpp,
// platonic.hpp, linear_stability.hpp, ...) are not included here: include the ones a claim uses.
// docs/your-claims.md is the tutorial and the reference.
#pragma once

#include "entropic/version.hpp"

#include "entropic/numeric/kind.hpp"
#include "entropic/numeric/scalar.hpp"
#include "entropic/numeric/series.hpp"

#include "entropic/model/make_model.hpp"
#include "entropic/optim/sgd.hpp"
#include "entropic/symmetry/symmetry.hpp"
#include "entropic/theory/charge_law.hpp"

#include "entropic/verify/claim.hpp"
#include "entropic/verify/compare.hpp"
#include "entropic/verify/observation.hpp"
#include "entropic/verify/rapidcheck.hpp"
#include "entropic/verify/report.hpp"
#include "entropic/verify/verdict.hpp"

#include "entropic/gen/generators.hpp"
#include "entropic/gen/training_run.hpp"
