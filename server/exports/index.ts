export {
  EXPORT_COLUMNS,
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportRow,
} from './columns';
export {
  exportFiltersSchema,
  incidentExportConditions,
  parseExportFilters,
  ExportFilterError,
  type ExportFilters,
} from './incidents-query';
export { writeIncidentExport, type ExportResult } from './write-export';
export { exportManifestHeader, openManifestFile } from './manifest';
