import { POOL_IDS, type PoolId } from '../../../protocol/pools.js';
import { h } from '../dom.js';

/**
 * One button per pool, named by its clock (`3+0`) with how many wait in it beside the name. Pressed
 * while this page waits in it; one pool at a time (another press leaves the first).
 */
export function poolButtons(o: { join: (id: PoolId) => void; leave: (id: PoolId) => void; canJoin: () => boolean }) {
  let joined: PoolId | null = null;
  const counts = new Map(
    POOL_IDS.map((id) => [id, h('span', { class: 'pool-count', id: `pool-count-${id}` }, '0 waiting')]),
  );
  const buttons = new Map(
    POOL_IDS.map((id) => [
      id,
      h(
        'button',
        {
          type: 'button',
          class: 'pool',
          'aria-label': id,
          'aria-pressed': 'false',
          'aria-describedby': `pool-count-${id}`,
          onclick: () => press(id),
        },
        h('span', { class: 'pool-name' }, id),
        counts.get(id),
      ),
    ]),
  );

  function press(id: PoolId): void {
    if (!o.canJoin()) return;
    const was = joined;
    if (was) o.leave(was);
    joined = was === id ? null : id;
    if (joined) o.join(joined);
    for (const [pool, button] of buttons) button.setAttribute('aria-pressed', String(pool === joined));
  }

  return {
    el: h('div', { class: 'pools' }, ...buttons.values()),
    counts(d: Record<string, number>): void {
      for (const [id, n] of Object.entries(d)) {
        const count = counts.get(id as PoolId);
        if (count) count.textContent = `${n} waiting`;
      }
    },
  };
}
