/** Upcoming bookings with reschedule and cancel. */
import { Subtitle1 } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";

export function MeetingsView() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="meetings-heading">
      <Subtitle1 as="h1" id="meetings-heading" block>
        {t("meetings.heading")}
      </Subtitle1>
    </section>
  );
}
