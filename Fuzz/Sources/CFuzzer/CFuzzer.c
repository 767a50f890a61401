#include "CFuzzer.h"

// `-sanitize=fuzzer` links libFuzzer's own `main`, which needs this symbol. It is never
// called: SwiftPM links the harness's `main.swift` as the program's `main`, and that calls
// LLVMFuzzerRunDriver with the target's test.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    (void)data;
    (void)size;
    return 0;
}
