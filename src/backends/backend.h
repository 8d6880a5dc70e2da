// A backend: a library that runs whole partitions of a graph (XNNPACK,
// oneDNN). Each registers itself from its own folder; the runtime only sees
// this interface, so a build without a library simply has one backend less.
#pragma once

#include <pthreadpool.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/partition.h"

namespace ew {

struct BackendOptions {
  int threads = 1;
  pthreadpool_t threadpool = nullptr;  // the session's pool (XNNPACK runs on it)
  bool fp16 = false;                   // fp16 arithmetic where the backend and CPU have it
  bool bf16 = false;                   // bf16 arithmetic where the backend and CPU have it
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;
  // The library's version and the code path it takes here (part of the tuning cache key).
  virtual std::string version() const = 0;
  // False when the library cannot run on this CPU.
  virtual bool available() const = 0;
  // True when the library runs on threads of its own rather than the session's
  // pthreadpool (oneDNN's OpenMP threads).
  virtual bool own_threads() const { return false; }
  // True when fp32 math can run in bf16 here (oneDNN with AVX512-BF16 or AMX).
  virtual bool has_bf16() const { return false; }
  // True when the node (with these static types and attributes) lowers exactly.
  virtual bool supports(const Node& node, const TypeLookup& types) const = 0;
  // One kernel running p.nodes, reading p.inputs and writing p.outputs in that order.
  virtual Result<std::unique_ptr<PreparedKernel>> compile(const Partition& p, const TypeLookup& types,
                                                          const BackendOptions& options) const = 0;
};

// Sends the pool's spinning workers to sleep (a no-op job with
// PTHREADPOOL_FLAG_YIELD_WORKERS), so that a library running on threads of
// its own next does not compete with them for the cores.
void quiesce_threadpool(pthreadpool_t pool);

bool register_backend(const Backend* backend);
// Registered backends that run here, in registration order.
std::vector<const Backend*> available_backends();
// A registered backend by name, or nullptr (also when unavailable here).
const Backend* find_backend(const std::string& name);

// Partitions of `backend`: maximal runs of consecutive steps it supports and
// `excluded` does not claim, each compiled into one kernel. Runs of nothing
// but reshapes are left alone; a run the backend fails to compile is left to
// other kernels, with the reason appended to `diagnostics`.
std::vector<Partition> partition_for(const Backend& backend, const StepList& steps, const TypeLookup& types,
                                     const BackendOptions& options, const std::vector<char>& excluded,
                                     std::vector<std::string>* diagnostics);
// Compiles steps [begin, end) as one partition of `backend`.
Result<Partition> compile_partition(const Backend& backend, const StepList& steps, int begin, int end,
                                    const TypeLookup& types, const BackendOptions& options);

}  // namespace ew

#define EW_REGISTER_BACKEND(object) \
  static const bool EW_CONCAT(ew_registered_backend_, __LINE__) = ::ew::register_backend(&(object))
