export { auditorServiceFactory } from './auditorServiceFactory';
export { DefaultAuditorService } from './DefaultAuditorService';
export type { AuditorEventActor, AuditorEventEntry } from './DefaultAuditorService';
export { readSeverityLogLevelMappings } from './readSeverityLogLevelMappings';
export type { AuditorLogLevel, SeverityLogLevelMappings } from './readSeverityLogLevelMappings';
