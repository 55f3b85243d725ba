import { PROCESSES, reachableHost, selectProcesses, stages, type ProcessSpec } from './processes';

const names = (specs: ProcessSpec[]) => specs.map((spec) => spec.name);

describe('process list', () => {
  it('runs the subgraphs before the router', () => {
    const ordered = stages(PROCESSES).map(names);
    const routerStage = ordered.findIndex((group) => group.includes('router'));
    const usersStage = ordered.findIndex((group) => group.includes('users'));
    expect(usersStage).toBeLessThan(routerStage);
  });

  it('gives every HTTP process a distinct port variable and default', () => {
    const withPorts = PROCESSES.filter((spec) => spec.port);
    expect(new Set(withPorts.map((spec) => spec.port!.env)).size).toBe(withPorts.length);
    expect(new Set(withPorts.map((spec) => spec.port!.default)).size).toBe(withPorts.length);
  });

  it('selects all, a list, or all but some', () => {
    expect(names(selectProcesses('all'))).toEqual(names([...PROCESSES]));
    expect(names(selectProcesses('router, users'))).toEqual(['users', 'router']);
    expect(names(selectProcesses('-router'))).toEqual(names(PROCESSES.filter((spec) => spec.name !== 'router')));
    expect(names(selectProcesses('users,router,-router'))).toEqual(['users']);
  });

  it('rejects unknown names and empty selections', () => {
    expect(() => selectProcesses('users,bogus')).toThrow(/unknown service bogus/);
    expect(() => selectProcesses('users,-users')).toThrow(/selects no service/);
  });

  it('reaches wildcard binds on loopback', () => {
    expect(reachableHost(undefined)).toBe('127.0.0.1');
    expect(reachableHost('0.0.0.0')).toBe('127.0.0.1');
    expect(reachableHost('::')).toBe('127.0.0.1');
    expect(reachableHost('10.1.2.3')).toBe('10.1.2.3');
    expect(reachableHost('::1')).toBe('[::1]');
  });
});
