// "Find my configs": where each supported MCP host keeps its config on this OS, and which of those files exist.
export { CONFIG_HOSTS, configLocations, type ConfigHost, type ConfigLocation, type FinderContext } from './config-locations';
export { findConfigs, type FinderFileSystem, type LocatedConfig } from './find-configs';
export { finderContextFor, FIND_CONFIGS_HOME_VARIABLE, FIND_CONFIGS_FOLDERS_VARIABLE } from './finder-context';
