export function makeElectronDistStandin(dir: string): { dir: string; version: string };
