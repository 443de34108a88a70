// One job as its request asked for it, estimated once: made where the
// request line is parsed (request_handler.h) and passed on unchanged to the
// executor, the pool's job table, its lanes and its cost records, so that
// nothing downstream estimates the same job again.
//
// Pure data; MakeJobSpec is pure and never throws.
#pragma once

#include <cstdint>

#include "ipc/job.h"

namespace fibpool::supervisor {

struct JobSpec {
  ipc::Algorithm algorithm = ipc::Algorithm::kFast;
  std::uint64_t n = 0;
  // cost_model.h's estimate on the reference machine, before this machine's
  // correction (cost_correction.h), which the pool applies at admission.
  std::uint64_t cost_ns = 0;
  std::uint64_t answer_bytes = 0;  // upper bound of the answer line (digits and LF)
};

JobSpec MakeJobSpec(ipc::Algorithm algorithm, std::uint64_t n);

}  // namespace fibpool::supervisor
