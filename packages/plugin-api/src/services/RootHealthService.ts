/** The backend's own health. */
export interface RootHealthService {
  getLiveness(): Promise<{ status: number; payload?: unknown }>;
  getReadiness(): Promise<{ status: number; payload?: unknown }>;
}
