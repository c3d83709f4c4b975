import type { RigFactory } from "./rig.ts";

export function resilienceScenarios(_label: string, _factory: RigFactory) {}
