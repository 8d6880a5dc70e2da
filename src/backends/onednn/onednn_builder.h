// Builds the oneDNN program of one partition from ONNX nodes.
//
// Every value lives in a dnnl::memory. Lowerings ask for their inputs in the
// layout their primitive wants (value_as): a value is reordered once per
// layout it is read in, so blocked layouts (nChw8c, nChw16c, ...) chosen by
// one convolution flow into the next without copies, and reorders happen only
// where layouts really change — at the partition's edges, where values are
// plain (ONNX, row-major), and where an op needs a plain tensor.
//
// Memories are created without data. finish() places every internal memory in
// one arena by lifetime (core/memory_planner.h) and leaves boundary memories
// (and views of them) to be pointed at the caller's tensors on every run: the
// partition reads its inputs and writes its outputs in place, without copies.
// Weights are reordered into the layout each primitive wants once, here.
#pragma once

#include <dnnl.hpp>

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/partition.h"
#include "core/tensor.h"

namespace ew {

struct OnednnOptions {
  int threads = 1;
  bool bf16 = false;  // fp32 primitives may compute in bf16 (fpmath_mode::bf16)
};

// A memory pointed at a caller's tensor (plus `offset` bytes) on every run.
struct OnednnBinding {
  dnnl::memory memory;
  size_t offset = 0;
};

// What a partition's kernel runs: primitives in order with their arguments.
struct OnednnProgram {
  std::vector<dnnl::primitive> primitives;
  std::vector<std::unordered_map<int, dnnl::memory>> args;
  std::vector<std::vector<OnednnBinding>> input_bindings;   // memories pointed at input i each run
  std::vector<std::vector<OnednnBinding>> output_bindings;  // ... at output i
  std::vector<std::shared_ptr<Buffer>> storage;            // arena, scratchpad, reordered weights
  int64_t arena_bytes = 0, weight_bytes = 0, scratchpad_bytes = 0;
};

class OnednnBuilder {
 public:
  OnednnBuilder(const std::vector<const Node*>& nodes, const std::vector<std::string>& inputs,
                const std::vector<std::string>& outputs, const TypeLookup& types, const OnednnOptions& options);

  const TypeLookup& types() const { return types_; }
  const ValueType* type(const std::string& name) const { return types_.type(name); }
  const Tensor* constant(const std::string& name) const { return types_.constant(name); }
  // Attributes every primitive starts from: user scratchpad, and bf16 math when asked.
  dnnl::primitive_attr attr() const;
  // Lowerings call this before defining node `index` of the partition.
  void begin_node(int index) { node_ = index; }

  // The value's memory as it is.
  Result<dnnl::memory> value(const std::string& name);
  // The value in layout `want` (reordered once per layout and cached).
  Result<dnnl::memory> value_as(const std::string& name, const dnnl::memory::desc& want);
  // The value in its ONNX (plain, row-major) layout.
  Result<dnnl::memory> value_plain(const std::string& name);
  // A memory of layout `want` holding the value that the current node may
  // overwrite (an accumulating sum): the value itself when this node is its
  // last reader and it is internal, else a copy.
  Result<dnnl::memory> value_to_overwrite(const std::string& name, const dnnl::memory::desc& want);

  // A new memory for a value inside one lowering (no name).
  dnnl::memory temporary(const dnnl::memory::desc& desc) { return new_memory(desc); }
  // A new memory for a node output.
  dnnl::memory define(const std::string& name, const dnnl::memory::desc& desc);
  // A node output held in an existing memory (e.g. the one a sum accumulated into).
  void define_same(const std::string& name, const dnnl::memory& m) { values_[name] = m; }
  // The bytes of `base` seen as `view` (same size; Reshape and kin, broadcasts).
  dnnl::memory view(const dnnl::memory& base, const dnnl::memory::desc& view);
  // A node output that is such a view.
  void define_view(const std::string& name, const dnnl::memory& base, const dnnl::memory::desc& view) {
    values_[name] = this->view(base, view);
  }
  // A constant: `data` laid out as `from` (plain), reordered into `want` now.
  Result<dnnl::memory> constant_as(const void* data, const dnnl::memory::desc& from, const dnnl::memory::desc& want);
  // An initializer in layout `want`.
  Result<dnnl::memory> constant_tensor_as(const Tensor& t, const dnnl::memory::desc& want);

  // Makes the values `inputs` (concatenated along `axis` into `output`, of
  // layout `dst`) live in their slices of the output, so their producers
  // write the concatenation and nothing is copied. False (and nothing
  // changed) unless every input is an internal value of this partition whose
  // slice is a contiguous run of the output's bytes in the same layout.
  bool concat_in_place(const std::vector<std::string>& inputs, int axis, const dnnl::memory::desc& dst,
                       const std::string& output);

  // Appends a primitive. `pd` supplies its scratchpad, which all primitives share.
  void add(const dnnl::primitive& p, std::unordered_map<int, dnnl::memory> args,
           const dnnl::memory::desc& scratchpad = dnnl::memory::desc());
  // Binds the outputs and places the internal memories.
  Result<OnednnProgram> finish();

 private:
  struct Slot {
    dnnl::memory memory;
    int first = -1, last = -1;  // primitive indices that use it
    int base = -1;              // a view of another slot
    size_t offset = 0;          // ... starting this many bytes into it
    int input = -1;             // bound to partition input i
    int output = -1;            // bound to partition output i
    bool constant = false;
    bool viewed = false;        // another slot is a view of it
  };
  dnnl::memory new_memory(const dnnl::memory::desc& desc, int base = -1);
  int slot_of(const dnnl::memory& m) const;
  int root_of(int slot) const;
  size_t offset_in_root(int slot) const;
  bool aliasable(int slot) const;
  Status bind_output(const std::string& name, int index);
  Status place_internal(OnednnProgram& program);

  const TypeLookup& types_;
  OnednnOptions options_;
  std::vector<std::string> inputs_, outputs_;
  int node_ = 0;
  std::map<std::string, int> last_reader_;  // node index of each value's last reader in the partition
  std::vector<Slot> slots_;
  std::vector<std::vector<int>> uses_;  // slots each primitive reads or writes
  std::unordered_map<dnnl_memory_t, int> slot_index_;
  std::map<std::string, dnnl::memory> values_;
  std::vector<std::pair<std::string, dnnl::memory>> layouts_;  // value_as cache
  OnednnProgram program_;
  size_t scratchpad_bytes_ = 0;
  std::vector<std::pair<size_t, dnnl::memory::desc>> scratchpads_;  // per primitive needing one
};

}  // namespace ew
