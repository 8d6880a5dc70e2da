#include "backends/onednn/onednn_builder.h"

#include <algorithm>
#include <cstdint>

#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"
#include "core/memory_planner.h"

namespace ew {

OnednnBuilder::OnednnBuilder(const std::vector<const Node*>& nodes, const std::vector<std::string>& inputs,
                             const std::vector<std::string>& outputs, const TypeLookup& types,
                             const OnednnOptions& options)
    : types_(types), options_(options), inputs_(inputs), outputs_(outputs) {
  for (size_t k = 0; k < nodes.size(); ++k)
    for (const auto& in : nodes[k]->inputs)
      if (!in.empty()) last_reader_[in] = static_cast<int>(k);
  program_.input_bindings.resize(inputs.size());
  program_.output_bindings.resize(outputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ValueType* t = types.type(inputs[i]);
    dnnl::memory m = new_memory(plain_desc(t->concrete_shape(), t->dtype));
    slots_.back().input = static_cast<int>(i);
    values_[inputs[i]] = m;
  }
}

dnnl::primitive_attr OnednnBuilder::attr() const {
  dnnl::primitive_attr a;
  a.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (options_.bf16) a.set_fpmath_mode(dnnl::fpmath_mode::bf16);
  return a;
}

dnnl::memory OnednnBuilder::new_memory(const dnnl::memory::desc& desc, int base) {
  dnnl::memory m(desc, onednn_engine(), DNNL_MEMORY_NONE);
  Slot s;
  s.memory = m;
  s.base = base;
  slot_index_[m.get()] = static_cast<int>(slots_.size());
  slots_.push_back(s);
  return m;
}

int OnednnBuilder::slot_of(const dnnl::memory& m) const {
  auto it = slot_index_.find(m.get());
  return it == slot_index_.end() ? -1 : it->second;
}

int OnednnBuilder::root_of(int slot) const {
  while (slots_[slot].base >= 0) slot = slots_[slot].base;
  return slot;
}

size_t OnednnBuilder::offset_in_root(int slot) const {
  size_t offset = 0;
  for (; slots_[slot].base >= 0; slot = slots_[slot].base) offset += slots_[slot].offset;
  return offset;
}

// An internal memory of its own that nothing else aliases.
bool OnednnBuilder::aliasable(int s) const {
  const Slot& slot = slots_[s];
  return !slot.constant && slot.input < 0 && slot.output < 0 && slot.base < 0 && !slot.viewed;
}

Result<dnnl::memory> OnednnBuilder::value(const std::string& name) {
  auto it = values_.find(name);
  if (it != values_.end()) return it->second;
  const Tensor* c = types_.constant(name);
  if (!c) return internal_error("oneDNN partition reads '" + name + "' before it is defined");
  const dnnl::memory::desc plain = plain_desc(c->rank() == 0 ? Shape{1} : c->shape(), c->dtype());
  EW_ASSIGN_OR_RETURN(dnnl::memory m, constant_as(c->raw(), plain, plain));
  values_[name] = m;
  return m;
}

Result<dnnl::memory> OnednnBuilder::value_as(const std::string& name, const dnnl::memory::desc& want) {
  EW_ASSIGN_OR_RETURN(dnnl::memory m, value(name));
  if (m.get_desc() == want) return m;
  for (const auto& [n, cached] : layouts_)
    if (n == name && cached.get_desc() == want) return cached;
  dnnl::memory out;
  if (slots_[slot_of(m)].constant) {
    out = new_memory(want);
    slots_.back().constant = true;
    auto buffer = Buffer::allocate(want.get_size());
    if (!buffer.is_ok()) return buffer.status();
    out.set_data_handle(buffer.value()->data());
    program_.storage.push_back(buffer.value());
    program_.weight_bytes += static_cast<int64_t>(want.get_size());
    try {
      dnnl::stream s(onednn_engine());
      dnnl::reorder(m, out).execute(s, m, out);
      s.wait();
    } catch (const dnnl::error& e) {
      return onednn_error(e, "a constant reorder of '" + name + "'");
    }
  } else {
    out = new_memory(want);
    try {
      add(dnnl::reorder(m, out), {{DNNL_ARG_FROM, m}, {DNNL_ARG_TO, out}});
    } catch (const dnnl::error& e) {
      return onednn_error(e, "a reorder of '" + name + "'");
    }
  }
  layouts_.emplace_back(name, out);
  return out;
}

Result<dnnl::memory> OnednnBuilder::value_plain(const std::string& name) {
  const ValueType* t = types_.type(name);
  const Tensor* c = types_.constant(name);
  if (!t && !c) return internal_error("oneDNN partition: no type for '" + name + "'");
  if (c) return value(name);  // constants are plain (scalars as one element)
  return value_as(name, plain_desc(t->concrete_shape(), t->dtype));
}

Result<dnnl::memory> OnednnBuilder::value_to_overwrite(const std::string& name, const dnnl::memory::desc& want) {
  EW_ASSIGN_OR_RETURN(dnnl::memory m, value(name));
  int s = slot_of(m);
  bool dies_here = last_reader_[name] == node_ &&
                   std::find(outputs_.begin(), outputs_.end(), name) == outputs_.end();
  bool internal = s >= 0 && !slots_[s].constant && slots_[s].input < 0 && slots_[s].base < 0 && !slots_[s].viewed;
  bool cached_elsewhere = false;
  for (const auto& [n, cached] : layouts_) cached_elsewhere |= n == name;
  if (dies_here && internal && !cached_elsewhere && m.get_desc() == want) return m;
  dnnl::memory copy = new_memory(want);
  try {
    add(dnnl::reorder(m, copy), {{DNNL_ARG_FROM, m}, {DNNL_ARG_TO, copy}});
  } catch (const dnnl::error& e) {
    return onednn_error(e, "a copy of '" + name + "'");
  }
  return copy;
}

dnnl::memory OnednnBuilder::define(const std::string& name, const dnnl::memory::desc& desc) {
  dnnl::memory m = new_memory(desc);
  values_[name] = m;
  return m;
}

dnnl::memory OnednnBuilder::view(const dnnl::memory& base, const dnnl::memory::desc& view) {
  int b = slot_of(base);
  if (b >= 0) slots_[b].viewed = true;
  dnnl::memory m = new_memory(view, b);
  if (b >= 0 && slots_[b].constant) {
    slots_.back().constant = true;
    m.set_data_handle(base.get_data_handle());
  }
  return m;
}

Result<dnnl::memory> OnednnBuilder::constant_as(const void* data, const dnnl::memory::desc& from,
                                                const dnnl::memory::desc& want) {
  auto buffer = Buffer::allocate(want.get_size());
  if (!buffer.is_ok()) return buffer.status();
  dnnl::memory out = new_memory(want);
  slots_.back().constant = true;
  out.set_data_handle(buffer.value()->data());
  program_.storage.push_back(buffer.value());
  program_.weight_bytes += static_cast<int64_t>(want.get_size());
  try {
    dnnl::memory src(from, onednn_engine(), const_cast<void*>(data));
    dnnl::stream s(onednn_engine());
    dnnl::reorder(src, out).execute(s, src, out);
    s.wait();
  } catch (const dnnl::error& e) {
    return onednn_error(e, "a constant reorder");
  }
  return out;
}

Result<dnnl::memory> OnednnBuilder::constant_tensor_as(const Tensor& t, const dnnl::memory::desc& want) {
  if (onednn_dtype(t.dtype()) == dnnl::memory::data_type::undef)
    return unsupported(std::string("oneDNN has no ") + dtype_name(t.dtype()) + " tensors");
  return constant_as(t.raw(), plain_desc(t.shape(), t.dtype()), want);
}

void OnednnBuilder::add(const dnnl::primitive& p, std::unordered_map<int, dnnl::memory> args,
                        const dnnl::memory::desc& scratchpad) {
  const int index = static_cast<int>(program_.primitives.size());
  if (scratchpad.get_size() > 0) {
    dnnl::memory m(scratchpad, onednn_engine(), DNNL_MEMORY_NONE);
    args[DNNL_ARG_SCRATCHPAD] = m;
    scratchpad_bytes_ = std::max(scratchpad_bytes_, scratchpad.get_size());
  }
  std::vector<int> used;
  for (const auto& [arg, m] : args)
    if (int s = slot_of(m); s >= 0) used.push_back(s);
  uses_.push_back(std::move(used));
  (void)index;
  program_.primitives.push_back(p);
  program_.args.push_back(std::move(args));
}

Status OnednnBuilder::bind_output(const std::string& name, int index) {
  const ValueType* t = types_.type(name);
  if (!t) return internal_error("oneDNN partition output '" + name + "' has no type");
  dnnl::memory::desc want = plain_desc(t->concrete_shape(), t->dtype);
  EW_ASSIGN_OR_RETURN(dnnl::memory m, value(name));
  int s = slot_of(m);
  int root = s >= 0 ? root_of(s) : -1;
  bool bindable = root >= 0 && !slots_[root].constant && slots_[root].input < 0 && slots_[root].output < 0 &&
                  m.get_desc() == want && slots_[root].memory.get_desc().get_size() == want.get_size();
  if (!bindable) {
    dnnl::memory out = new_memory(want);
    try {
      add(dnnl::reorder(m, out), {{DNNL_ARG_FROM, m}, {DNNL_ARG_TO, out}});
    } catch (const dnnl::error& e) {
      return onednn_error(e, "the output reorder of '" + name + "'");
    }
    root = slot_of(out);
  }
  slots_[root].output = index;
  return Status::ok();
}

// Internal memories share one arena by lifetime; views follow their base.
Status OnednnBuilder::place_internal(OnednnProgram& program) {
  for (size_t k = 0; k < uses_.size(); ++k)  // a view's use is its root's use
    for (int s : uses_[k])
      for (; s >= 0; s = slots_[s].base) {
        if (slots_[s].first < 0) slots_[s].first = static_cast<int>(k);
        slots_[s].last = static_cast<int>(k);
      }
  std::vector<int> internal;
  std::vector<TensorLifetime> lifetimes;
  for (size_t s = 0; s < slots_.size(); ++s) {
    const Slot& slot = slots_[s];
    if (slot.base >= 0 || slot.constant || slot.input >= 0 || slot.output >= 0 || slot.first < 0) continue;
    internal.push_back(static_cast<int>(s));
    lifetimes.push_back({static_cast<int64_t>(slot.memory.get_desc().get_size()), slot.first, slot.last});
  }
  MemoryPlan plan = plan_memory(lifetimes);
  EW_ASSIGN_OR_RETURN(auto arena, Buffer::allocate(static_cast<size_t>(std::max<int64_t>(plan.arena_bytes, 64))));
  for (size_t i = 0; i < internal.size(); ++i)
    slots_[internal[i]].memory.set_data_handle(arena->data() + plan.offsets[i]);
  program.storage.push_back(arena);
  program.arena_bytes = plan.arena_bytes;
  for (size_t s = 0; s < slots_.size(); ++s) {
    if (slots_[s].base < 0) continue;
    int root = root_of(static_cast<int>(s));
    const size_t offset = offset_in_root(static_cast<int>(s));
    const Slot& r = slots_[root];
    if (r.input >= 0) program.input_bindings[r.input].push_back({slots_[s].memory, offset});
    else if (r.output >= 0) program.output_bindings[r.output].push_back({slots_[s].memory, offset});
    else slots_[s].memory.set_data_handle(static_cast<uint8_t*>(r.memory.get_data_handle()) + offset);
  }
  for (const Slot& slot : slots_) {
    if (slot.base >= 0) continue;
    if (slot.input >= 0) program.input_bindings[slot.input].push_back({slot.memory, 0});
    if (slot.output >= 0) program.output_bindings[slot.output].push_back({slot.memory, 0});
  }
  return Status::ok();
}

namespace {

// Size of the channel blocks of a blocked layout (1 when channels are not
// blocked); 0 when other dims are blocked too.
int64_t channel_block(const dnnl_blocking_desc_t& b) {
  int64_t block = 1;
  for (int i = 0; i < b.inner_nblks; ++i) {
    if (b.inner_idxs[i] != 1) return 0;
    block *= b.inner_blks[i];
  }
  return block;
}

bool same_blocking(const dnnl_blocking_desc_t& a, const dnnl_blocking_desc_t& b) {
  if (a.inner_nblks != b.inner_nblks) return false;
  for (int i = 0; i < a.inner_nblks; ++i)
    if (a.inner_blks[i] != b.inner_blks[i] || a.inner_idxs[i] != b.inner_idxs[i]) return false;
  return true;
}

bool unpadded(const dnnl_memory_desc_t& d) {
  for (int i = 0; i < d.ndims; ++i)
    if (d.padded_dims[i] != d.dims[i] || d.padded_offsets[i] != 0) return false;
  return d.format_kind == dnnl_blocked && d.offset0 == 0;
}

}  // namespace

bool OnednnBuilder::concat_in_place(const std::vector<std::string>& inputs, int axis, const dnnl::memory::desc& dst,
                                    const std::string& output) {
  const dnnl_memory_desc_t& d = dst.data;
  if (axis != 1 || d.ndims < 2 || d.dims[0] != 1 || !unpadded(d)) return false;
  const dnnl_blocking_desc_t& db = d.format_desc.blocking;
  const int64_t block = channel_block(db);
  if (block == 0) return false;
  std::vector<int> slots;
  std::vector<size_t> offsets;
  int64_t channel = 0;
  for (const auto& name : inputs) {
    auto it = values_.find(name);
    if (it == values_.end()) return false;
    const int s = slot_of(it->second);
    if (s < 0 || !aliasable(s) || std::find(slots.begin(), slots.end(), s) != slots.end()) return false;
    const dnnl_memory_desc_t& in = it->second.get_desc().data;
    if (!unpadded(in) || in.ndims != d.ndims || in.data_type != d.data_type || in.dims[0] != 1) return false;
    const dnnl_blocking_desc_t& ib = in.format_desc.blocking;
    if (!same_blocking(ib, db) || in.dims[1] % block != 0 || channel % block != 0) return false;
    for (int i = 1; i < d.ndims; ++i)
      if (ib.strides[i] != db.strides[i] || (i > 1 && in.dims[i] != d.dims[i])) return false;
    slots.push_back(s);
    offsets.push_back(static_cast<size_t>(channel / block * db.strides[1]) *
                      dnnl::memory::data_type_size(dst.data_type()));
    channel += in.dims[1];
  }
  if (channel != d.dims[1]) return false;
  dnnl::memory whole = define(output, dst);
  const int w = slot_of(whole);
  slots_[w].viewed = true;
  for (size_t i = 0; i < slots.size(); ++i) {
    slots_[slots[i]].base = w;
    slots_[slots[i]].offset = offsets[i];
  }
  return true;
}

Result<OnednnProgram> OnednnBuilder::finish() {
  for (size_t i = 0; i < outputs_.size(); ++i) EW_RETURN_IF_ERROR(bind_output(outputs_[i], static_cast<int>(i)));
  OnednnProgram program = std::move(program_);
  EW_RETURN_IF_ERROR(place_internal(program));
  if (scratchpad_bytes_ > 0) {
    EW_ASSIGN_OR_RETURN(auto pad, Buffer::allocate(scratchpad_bytes_));
    for (auto& args : program.args) {
      auto it = args.find(DNNL_ARG_SCRATCHPAD);
      if (it != args.end()) it->second.set_data_handle(pad->data());
    }
    program.storage.push_back(pad);
    program.scratchpad_bytes = static_cast<int64_t>(scratchpad_bytes_);
  }
  return program;
}

}  // namespace ew
