import type { ChallengeJson, GameJson } from '../../../protocol/game.js';
import { errorMessage } from '../api.js';
import type { PageContext } from '../context.js';
import { fill, h } from '../dom.js';
import { clockName, clockPicker } from './clock-picker.js';

/**
 * Challenge a user by name (`POST /api/challenge/<id>`; an account's id is its name in lower case),
 * and the challenges that come to this user on its channel, to accept or decline. An accepted
 * challenge sends both players to the game: the one who accepts from the API's answer, the
 * challenger from the `redirect` on their channel (the lobby page follows it).
 */
export function challengePanel(ctx: PageContext, o: { canAct: () => boolean }) {
  const incoming = new Map<string, ChallengeJson>();
  let outgoing: ChallengeJson | null = null;
  const name = h('input', { name: 'opponent', required: true, maxlength: 20, autocomplete: 'off' });
  const clock = clockPicker('Challenge');
  const message = h('p', { class: 'note', role: 'status' });
  const waiting = h('div', { class: 'outgoing' });
  const offers = h('ul', { class: 'incoming', 'aria-label': 'challenges to you' });

  const form = h(
    'form',
    {
      class: 'challenge-form',
      onsubmit: (e) => {
        e.preventDefault();
        if (!o.canAct()) return;
        const body = { clock: clock.value(), color: 'random', rated: false };
        void ctx
          .api<{ challenge: ChallengeJson }>(
            'POST',
            `/api/challenge/${encodeURIComponent(name.value.trim().toLowerCase())}`,
            body,
          )
          .then((answer) => {
            if (answer.status !== 201) return void (message.textContent = errorMessage(answer));
            outgoing = answer.json.challenge;
            message.textContent = '';
            render();
          });
      },
    },
    h('label', {}, "Opponent's name", name),
    clock.el,
    h('button', { type: 'submit' }, 'Challenge'),
  );

  const act = (c: ChallengeJson, how: 'accept' | 'decline' | 'cancel') =>
    void ctx.api<{ game?: GameJson }>('POST', `/api/challenge/${c.id}/${how}`, {}).then((answer) => {
      if (how === 'accept' && answer.status === 201 && answer.json.game) return ctx.navigate(`/${answer.json.game.id}`);
      if (answer.status >= 300) message.textContent = errorMessage(answer);
      incoming.delete(c.id);
      if (outgoing?.id === c.id) outgoing = null;
      render();
    });

  function render(): void {
    fill(
      waiting,
      outgoing &&
        h(
          'p',
          {},
          `Waiting for ${outgoing.destUser.name} (${clockName(outgoing.clock)})… `,
          h('button', { type: 'button', onclick: () => outgoing && act(outgoing, 'cancel') }, 'Cancel challenge'),
        ),
    );
    fill(
      offers,
      [...incoming.values()].map((c) =>
        h(
          'li',
          {},
          h('span', {}, `${c.challenger.name} challenges you: ${clockName(c.clock)}, ${c.rated ? 'rated' : 'casual'}`),
          h('button', { type: 'button', class: 'primary', onclick: () => act(c, 'accept') }, 'Accept'),
          h('button', { type: 'button', onclick: () => act(c, 'decline') }, 'Decline'),
        ),
      ),
    );
  }

  return {
    el: h('div', {}, form, waiting, offers, message),
    /** A `challenge`, `challengeDeclined` or `challengeCanceled` frame from this user's channel. */
    onFrame(t: 'challenge' | 'challengeDeclined' | 'challengeCanceled', c: ChallengeJson): void {
      if (t === 'challenge' && c.destUser.id === ctx.me?.id) incoming.set(c.id, c);
      if (t !== 'challenge') {
        incoming.delete(c.id);
        if (outgoing?.id === c.id) {
          outgoing = null;
          message.textContent = t === 'challengeDeclined' ? `${c.destUser.name} declined your challenge.` : '';
        }
      }
      render();
    },
  };
}
