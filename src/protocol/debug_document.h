// Documents as plain JSON for the debug endpoints (--debug-endpoints): blobs become base64
// strings so that a document survives a trip through JSON text, and back.
#pragma once

#include "core/document.h"
#include "protocol/model.h"

namespace nimbus::protocol {

// Walks value along shape and base64-encodes every blob. Unknown members pass unchanged.
Value blobs_to_base64(const Shape* shape, const Value& value);
// The reverse: base64 strings at blob positions become raw bytes. Throws AwsError on bad
// base64.
Value blobs_from_base64(const Shape* shape, const Value& value);

}  // namespace nimbus::protocol
