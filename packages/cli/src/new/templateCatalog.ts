/** The ids of the templates `backplane new` can create. */
export type TemplateId = 'backend-plugin' | 'backend-module';

/** The keys `--option key=value` accepts. */
export type TemplateOptionKey = 'pluginId' | 'moduleId' | 'owner' | 'addToBackend';

/** A template of `backplane new`. */
export interface TemplateDefinition {
  id: TemplateId;
  description: string;
  /** The option keys this template reads, in prompt order. */
  options: readonly TemplateOptionKey[];
}

/** The templates of `backplane new`, in the order the interactive prompt lists them. */
export const templateCatalog: readonly TemplateDefinition[] = [
  {
    id: 'backend-plugin',
    description: 'A backend plugin with a router, an open /health route and tests',
    options: ['pluginId', 'owner', 'addToBackend'],
  },
  {
    id: 'backend-module',
    description: 'A module that extends an existing backend plugin',
    options: ['pluginId', 'moduleId', 'owner', 'addToBackend'],
  },
];

/** Finds a template by id. */
export function findTemplate(id: string): TemplateDefinition | undefined {
  return templateCatalog.find(template => template.id === id);
}
