// Stochastic modified equations (catalog E2; Li, Tai, E 2017/2019): the weak expansion of one SME
// step of time eta, for a test function phi, as a power series in eta.
//
//   dX = -grad f~ dt + (eta Sigma)^{1/2} dW,   f~ = f            (weak order 1)
//                                              f~ = f + eta/4 ||grad f||^2  (weak order 2)
//
// with generator  Lphi = -grad f~ . grad phi + eta/2 Tr(Sigma grad^2 phi). Over one step,
//   E phi(X_eta) = phi + eta Lphi + eta^2/2 L^2 phi + O(eta^3),
// and L = L_0 + O(eta) with L_0 = -grad f . grad, so eta^2/2 L^2 phi = eta^2/2 L_0^2 phi + O(eta^3) where
//   L_0^2 phi = grad f . grad (grad f . grad phi),
// a forward-mode derivative of grad f . grad phi along grad f. Hence, known through eta^2,
//   E phi(X_eta) = phi - eta grad f . grad phi
//                + eta^2 ( -[order 2] 1/2 grad phi^T H grad f + 1/2 Tr(Sigma grad^2 phi) + 1/2 L_0^2 phi ).
// One SGD step x - eta g_B with E g_B = grad f, Cov(g_B) = Sigma has the same expansion through eta^2
// for the order-2 drift; the order-1 drift is off by eta^2/2 grad phi^T H grad f.
//
// f is a model's training loss on a data set; phi is a data-free polynomial test function (a
// ModelSpec of kind polynomial over the model's parameters); Sigma is given (kappa_S C for minibatches).
#pragma once

#include "entropic/model/make_model.hpp"
#include "entropic/theory/entropic_force.hpp"

namespace entropic {

enum class SmeOrder { one = 1, two = 2 };

// A data-free function of the parameters, evaluated through its model (one dummy sample).
template <class S>
class TestFunction {
 public:
  explicit TestFunction(const ModelSpec& spec)
      : model_(make_model<S>(spec)), data_{Mat<S>::Zero(1, 1), Mat<S>::Zero(1, 1)} {}
  S operator()(const Vec<S>& x) const { return model_->loss(x, data_); }
  Vec<S> gradient(const Vec<S>& x) const { return model_->gradient(x, data_); }
  const Model<S>& model() const { return *model_; }
  const DataSet<S>& data() const { return data_; }

 private:
  std::unique_ptr<Model<S>> model_;
  DataSet<S> data_;
};

// phi + eta Lphi + eta^2/2 L_0^2 phi at x, as a series in eta known through eta^2.
template <class T>
Series<T> sme_one_step_expectation(const Model<T>& loss, const DataSet<T>& data, const Mat<T>& sigma,
                                   const ModelSpec& test_function, const Vec<T>& x, SmeOrder order) {
  const TestFunction<T> phi(test_function);
  const Vec<T> grad_f = loss.gradient(x, data);
  const Vec<T> grad_phi = phi.gradient(x);
  const Vec<T> h_grad_f = HessianProduct<T>(loss, data)(x, grad_f, Model<T>::all(data));
  // Tr(Sigma grad^2 phi), grad^2 phi column by column.
  const HessianProduct<T> phi_hessian(phi.model(), phi.data());
  T trace(0);
  for (Eigen::Index j = 0; j < x.size(); ++j) {
    Vec<T> e = Vec<T>::Zero(x.size());
    e[j] = T(1);
    trace += T(sigma.row(j).dot(phi_hessian(x, e, Batch{0})));
  }
  // L_0^2 phi = d/de [grad f . grad phi](x + e grad f).
  using D = Dual<T>;
  const auto dual_loss = make_model<D>(loss.spec());
  const TestFunction<D> dual_phi(test_function);
  Vec<D> moving(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) moving[i] = D(x[i], grad_f[i]);
  const T l0_squared = D(dual_loss->gradient(moving, lift<D>(data)).dot(dual_phi.gradient(moving))).tangent();

  T second = trace / T(2) + l0_squared / T(2);
  if (order == SmeOrder::two) second -= T(grad_phi.dot(h_grad_f)) / T(2);
  return Series<T>({phi(x), T(-grad_f.dot(grad_phi)), second}, 2);
}

}  // namespace entropic
