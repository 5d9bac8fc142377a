/** `jot completion bash|zsh`: completion scripts generated from the surface table. */
import type { Command } from './command.js';
import { UsageError } from './io.js';
import { COMMANDS, COMMON, type OptionSpec } from './surface.js';

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function optionsOf(name: string): [string, OptionSpec][] {
  const spec = COMMANDS.find((c) => c.name === name)!;
  return Object.entries({ ...spec.options, ...COMMON });
}

export function bashScript(): string {
  const names = COMMANDS.map((c) => c.name).join(' ');
  const cases = COMMANDS.map((c) => {
    const opts = optionsOf(c.name)
      .map(([k]) => `--${k}`)
      .join(' ');
    const values = optionsOf(c.name)
      .filter(([, o]) => o.complete !== undefined)
      .map(([k, o]) =>
        o.complete === 'file'
          ? `        --${k}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`
          : `        --${k}) COMPREPLY=($(compgen -W ${sh(o.complete!.join(' '))} -- "$cur")); return ;;`,
      )
      .join('\n');
    const actions = c.actions === undefined ? '' : c.actions.join(' ');
    return `    ${c.name})
      case "$prev" in
${values}
      esac
      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${sh(opts)} -- "$cur"));
      elif [[ $COMP_CWORD -eq 2 && -n ${sh(actions)} ]]; then COMPREPLY=($(compgen -W ${sh(actions)} -- "$cur"));
      else COMPREPLY=($(compgen -f -- "$cur")); fi ;;`;
  }).join('\n');
  return `# bash completion for jot (source <(jot completion bash))
_jot() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W ${sh(`${names} --help --version`)} -- "$cur")); return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
}
complete -o default -F _jot jot
`;
}

export function zshScript(): string {
  const zq = (s: string) => s.replace(/[[\]:'\\]/g, (c) => (c === "'" ? "'\\''" : `\\${c}`));
  const cmds = COMMANDS.map((c) => `    '${c.name}:${zq(c.summary)}'`).join('\n');
  const cases = COMMANDS.map((c) => {
    const args = optionsOf(c.name)
      .map(([k, o]) => {
        const action =
          o.type === 'boolean'
            ? ''
            : o.complete === 'file'
              ? ':file:_files'
              : o.complete !== undefined
                ? `:value:(${o.complete.map(zq).join(' ')})`
                : `:${(o.value ?? 'value').toLowerCase()}:`;
        return `        '${o.multiple ? '*' : ''}--${k}[${zq(o.help)}]${action}'`;
      })
      .join(' \\\n');
    const rest =
      c.actions === undefined ? `'*:file:_files'` : `'1:action:(${c.actions.map(zq).join(' ')})' '*:file:_files'`;
    return `    ${c.name})\n      _arguments \\\n${args} \\\n        ${rest} ;;`;
  }).join('\n');
  return `#compdef jot
# zsh completion for jot (jot completion zsh > "\${fpath[1]}/_jot")
_jot() {
  local -a commands
  commands=(
${cmds}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local cmd=\${words[2]}
  shift words; (( CURRENT-- ))
  case $cmd in
${cases}
  esac
}
_jot "$@"
`;
}

export const command: Command<{ shell: string; script: string }> = {
  async compute(ctx) {
    const shell = ctx.positionals[0];
    if (shell === 'bash') return { shell, script: bashScript() };
    if (shell === 'zsh') return { shell, script: zshScript() };
    throw new UsageError('jot completion takes bash or zsh');
  },
  text: (r) => r.script,
};
