// Layout: the named blocks of a flat parameter vector theta.
//
// Every model keeps its parameters in one Vec<S>, so that optimizers, symmetry actions (linear maps
// on theta), Hessians and charges see one vector; the layout says where "W1" (rows x cols,
// column-major, as Eigen stores it) or "b1" lives in it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "entropic/numeric/eigen_traits.hpp"

namespace entropic {

struct Block {
  std::string name;
  int rows = 0, cols = 0;
  int offset = 0;
  int size() const { return rows * cols; }
};

class Layout {
 public:
  // Appends a block and returns its index.
  int add(std::string name, int rows, int cols) {
    if (rows <= 0 || cols <= 0)
      throw std::invalid_argument("block " + name + " must have positive shape");
    blocks_.push_back(Block{std::move(name), rows, cols, size_});
    size_ += rows * cols;
    return static_cast<int>(blocks_.size()) - 1;
  }
  int size() const { return size_; }
  int count() const { return static_cast<int>(blocks_.size()); }
  const Block& operator[](int i) const { return blocks_.at(i); }
  const std::vector<Block>& blocks() const { return blocks_; }
  // Index of a block by name; -1 if absent.
  int find(const std::string& name) const {
    for (int i = 0; i < count(); ++i)
      if (blocks_[i].name == name) return i;
    return -1;
  }
  int index(const std::string& name) const {
    const int i = find(name);
    if (i < 0) throw std::out_of_range("no parameter block named " + name);
    return i;
  }

  template <class S>
  Eigen::Map<Mat<S>> view(Vec<S>& theta, int i) const {
    const Block& b = blocks_.at(i);
    return Eigen::Map<Mat<S>>(theta.data() + b.offset, b.rows, b.cols);
  }
  template <class S>
  Eigen::Map<const Mat<S>> view(const Vec<S>& theta, int i) const {
    const Block& b = blocks_.at(i);
    return Eigen::Map<const Mat<S>>(theta.data() + b.offset, b.rows, b.cols);
  }
  // Flat index of entry (r, c) of block i.
  int at(int i, int r, int c) const {
    const Block& b = blocks_.at(i);
    return b.offset + c * b.rows + r;
  }

  friend bool operator==(const Layout& a, const Layout& b) {
    if (a.size_ != b.size_ || a.blocks_.size() != b.blocks_.size()) return false;
    for (size_t i = 0; i < a.blocks_.size(); ++i)
      if (a.blocks_[i].name != b.blocks_[i].name || a.blocks_[i].rows != b.blocks_[i].rows ||
          a.blocks_[i].cols != b.blocks_[i].cols)
        return false;
    return true;
  }

 private:
  std::vector<Block> blocks_;
  int size_ = 0;
};

}  // namespace entropic
