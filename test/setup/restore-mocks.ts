// After every Worker test: spies (on fetch, Date, console...) go back to the real functions, so no
// test's fakes leak into the next one.
import { afterEach, vi } from "vitest";

afterEach(() => vi.restoreAllMocks());
