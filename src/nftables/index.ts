export { NftCli, removeTableScript, type Nft } from './nft.ts';
export { diffScript, emptyTableState, type NamedSet, type TableState } from './table-state.ts';
export { TableSyncer, type DesiredTable, type SyncStats, type TableSyncerOptions } from './table-syncer.ts';
