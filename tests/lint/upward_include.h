// A fixture for the layering check (supervisor/layering_check.cmake), never
// compiled: as a source of supervisor/sched it includes the pool above it.
#pragma once

#include "supervisor/pool/worker_pool.h"
#include "supervisor/protocol/answer_error.h"
