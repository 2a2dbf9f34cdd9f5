// Keeps one broken widget from taking the dashboard down: a render error in
// a renderer shows an error state in its card only.
import { Component, type ReactNode } from 'react';
import { ErrorState } from '../components/states';

interface State {
  error: unknown;
}

export class WidgetErrorBoundary extends Component<{ children: ReactNode; resetKey?: unknown }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error ?? new Error('The widget failed to render') };
  }

  componentDidUpdate(prev: { resetKey?: unknown }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render() {
    if (this.state.error) {
      return (
        <ErrorState
          error={new Error(`This widget could not be drawn: ${this.state.error instanceof Error ? this.state.error.message : String(this.state.error)}`)}
          onRetry={() => this.setState({ error: null })}
        />
      );
    }
    return this.props.children;
  }
}
