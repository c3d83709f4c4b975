/**
 * The sync scenarios on the in-memory ports. A PostgreSQL SyncStore or a Graph-backed RemoteItems on the
 * emulator runs the same scenarios by passing its own RigFactory.
 */
import { memoryRig } from "./rig.ts";
import { resilienceScenarios } from "./scenarios-resilience.ts";
import { twoWayScenarios } from "./scenarios-two-way.ts";

twoWayScenarios("memory", memoryRig);
resilienceScenarios("memory", memoryRig);
