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
      // The byte order mark makes Excel open the file as UTF-8 (reading the answer as text drops it).
      const bom = "\uFEFF";
      const url = URL.createObjectURL(
        new Blob([text.startsWith(bom) ? text : bom + text], { type: "text/csv;charset=utf-8" }),
      );
      const a = document.createElement("a");
      a.href = url;
      a.download = "quorum-seats.csv";
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    upload(file: File) {
      // The file's bytes go as they are: the service reads the encoding and the separator, and explains a
      // file that is not UTF-8 instead of receiving it already garbled.
      return review.plan(file.name, () => api.plans.fromCsv(file));
    },
  };
}

export type CsvImportState = ReturnType<typeof useCsvImport>;
