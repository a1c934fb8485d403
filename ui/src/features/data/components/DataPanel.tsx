import { DatabaseSection } from "./DatabaseSection";
import { ExportSection } from "./ExportSection";
import { ImportSection } from "./ImportSection";
import { LogsSection } from "./LogsSection";

/**
 * Everything about the data on this computer: the database and its backups, export,
 * import, logs and diagnostics. Self-contained (it loads what it shows), so it can live in a
 * dialog or as a tab of another page.
 */
export function DataPanel() {
  return (
    <div className="data-panel" data-testid="data-panel">
      <DatabaseSection />
      <ExportSection />
      <ImportSection />
      <LogsSection />
    </div>
  );
}
