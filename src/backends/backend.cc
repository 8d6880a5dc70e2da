#include "backends/backend.h"

#include "backends/backend_plugins.h"

namespace ew {

namespace {

std::vector<const Backend*>& registry() {
  static std::vector<const Backend*> r;
  return r;
}

bool is_reshape_like(const Node& n) {
  return n.op_type == "Reshape" || n.op_type == "Flatten" || n.op_type == "Squeeze" || n.op_type == "Unsqueeze";
}

}  // namespace

void quiesce_threadpool(pthreadpool_t pool) {
  if (!pool) return;
  pthreadpool_parallelize_1d(
      pool, [](void*, size_t) {}, nullptr, pthreadpool_get_threads_count(pool), PTHREADPOOL_FLAG_YIELD_WORKERS);
}

bool register_backend(const Backend* backend) {
  registry().push_back(backend);
  return true;
}

std::vector<const Backend*> available_backends() {
  load_backend_plugins();
  std::vector<const Backend*> out;
  for (const Backend* b : registry())
    if (b->available()) out.push_back(b);
  return out;
}

const Backend* find_backend(const std::string& name) {
  for (const Backend* b : available_backends())
    if (name == b->name()) return b;
  return nullptr;
}

Result<Partition> compile_partition(const Backend& backend, const StepList& steps, int begin, int end,
                                    const TypeLookup& types, const BackendOptions& options) {
  Partition p;
  p.begin = begin;
  p.end = end;
  find_partition_boundary(steps, types, p);
  if (p.outputs.empty()) return unsupported("the steps produce nothing read later");
  EW_ASSIGN_OR_RETURN(p.kernel, backend.compile(p, types, options));
  p.backend = backend.name();
  p.own_threads = backend.own_threads();
  return p;
}

std::vector<Partition> partition_for(const Backend& backend, const StepList& steps, const TypeLookup& types,
                                     const BackendOptions& options, const std::vector<char>& excluded,
                                     std::vector<std::string>* diagnostics) {
  std::vector<Partition> partitions;
  auto takes = [&](size_t k) {
    return !(k < excluded.size() && excluded[k]) && backend.supports(*steps.nodes[k], types);
  };
  for (size_t k = 0; k < steps.size();) {
    if (!takes(k)) {
      ++k;
      continue;
    }
    const int begin = static_cast<int>(k);
    bool worth_it = false;
    while (k < steps.size() && takes(k)) worth_it |= !is_reshape_like(*steps.nodes[k++]);
    if (!worth_it) continue;
    Partition p;
    p.begin = begin;
    p.end = static_cast<int>(k);
    find_partition_boundary(steps, types, p);
    if (p.outputs.empty()) continue;
    auto kernel = backend.compile(p, types, options);
    if (!kernel.is_ok()) {  // other kernels run these nodes instead
      if (diagnostics)
        diagnostics->push_back(std::string(backend.name()) + " partition at " + p.nodes.front()->label() + " (" +
                               std::to_string(p.nodes.size()) + " nodes) rejected: " + kernel.status().message());
      continue;
    }
    p.kernel = std::move(kernel).value();
    p.backend = backend.name();
    p.own_threads = backend.own_threads();
    partitions.push_back(std::move(p));
  }
  return partitions;
}

}  // namespace ew
