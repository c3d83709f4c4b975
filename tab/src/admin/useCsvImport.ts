/** State of the CSV import wizard: template → upload → the plan under review (preview → commit → undo). */
import { useTabEnvironment } from "../shared/context.ts";
import { usePlanReview } from "./usePlanReview.ts";

export function useCsvImport() {
  const { api } = useTabEnvironment();
  const review = usePlanReview();
  return {
    review,
    async downloadTemplate() {
      const text = await review.run(() => api.seats.template());
      if (text === undefined) return;
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = "quorum-seats.csv";
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    upload(file: File) {
      return review.plan(file.name, async () => api.plans.fromCsv(await file.text()));
    },
  };
}

export type CsvImportState = ReturnType<typeof useCsvImport>;
