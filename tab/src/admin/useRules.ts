/**
 * State of the group rules section: the rules (a rule can be removed), the form adding one with a
 * type-ahead over the tenant's Entra groups, and the plan the rules would make (reviewed in PlanReview).
 */
import { useState } from "react";
import type { DirectoryGroup } from "../../../src/api-contract/directory.ts";
import type { SeatKindName } from "../../../src/api-contract/seats.ts";
import { useAction } from "../../../src/ui-shared/useAction.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useTypeAhead } from "../shared/useDebounced.ts";
import type { PlanReviewState } from "./usePlanReview.ts";

export function useRules(review: PlanReviewState) {
  const { api } = useTabEnvironment();
  const list = useAsync((signal) => api.rules.list(signal), [api], { keepDataWhileReloading: true });
  const removing = useAction();
  return {
    list,
    error: removing.error,
    hasRules: list.status === "ready" && list.data.rules.length > 0,
    planning: review.state.step === "planning",
    remove: (ruleId: string) => void removing.run(() => api.rules.remove(ruleId), list.reload),
    preview: () => void review.plan("rules", () => api.plans.fromRules()),
  };
}

export const ruleKinds: readonly SeatKindName[] = ["sync", "calling"];

/** Priorities a rule may have: the lower wins. */
const maxPriority = 1000;

export function useAddRule(onAdded: () => void) {
  const { api } = useTabEnvironment();
  const [text, setText] = useState("");
  const [group, setGroup] = useState<DirectoryGroup | undefined>(undefined);
  const [kind, setKind] = useState<SeatKindName>("sync");
  const [priority, setPriority] = useState("0");
  const saving = useAction();
  // The tenant's Entra groups as the last directory import saw them.
  const groups = useTypeAhead(text, (q, signal) => api.groups(q || undefined, signal), [api], 200);
  const found = groups.status === "done" ? groups.data.groups : [];
  const priorityValue = Number(priority);
  const valid =
    group !== undefined &&
    Number.isInteger(priorityValue) &&
    priorityValue >= 0 &&
    priorityValue <= maxPriority;
  return {
    text,
    group,
    kind,
    priority,
    groups,
    found,
    valid,
    /** The priority is worth a warning only once a group is chosen. */
    priorityInvalid: !valid && group !== undefined,
    saving: saving.busy,
    error: saving.error,
    type(value: string) {
      setText(value);
      setGroup(undefined);
    },
    choose(groupId: string | undefined) {
      const chosen = found.find((g) => g.groupId === groupId);
      setGroup(chosen);
      setText(chosen?.displayName ?? "");
    },
    setKind,
    setPriority,
    submit() {
      if (!group || !valid) return;
      void saving.run(
        () => api.rules.create({ groupId: group.groupId, kind, priority: priorityValue }),
        () => {
          setGroup(undefined);
          setText("");
          setPriority("0");
          onAdded();
        },
      );
    },
  };
}
