// Why a request gets an ERR line instead of its job's answer: the code and
// the detail. Made by whoever declines the job (admission, the pool), written
// by the connection. Pure data.
#pragma once

#include <string>

#include "supervisor/protocol/answer_error.h"

namespace fibpool::supervisor {

struct Refusal {
  AnswerError code = AnswerError::kInternal;
  std::string detail;
};

}  // namespace fibpool::supervisor
