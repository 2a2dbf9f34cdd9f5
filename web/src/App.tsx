// Routes. URLs follow the upstream UI (/project/:project_id/runs/:run_id,
// ...) so bookmarks from the Python Ibutsu keep working; the same pages also
// answer without a project prefix (all projects the user can see).
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth/AuthContext';
import { ProjectProvider } from './project';
import { AppLayout } from './components/AppLayout';
import { LoginPage } from './pages/auth/LoginPage';
import { SignUpPage } from './pages/auth/SignUpPage';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/auth/PasswordPages';
import { RunListPage } from './pages/runs/RunListPage';
import { RunPage } from './pages/runs/RunPage';
import { ResultListPage } from './pages/results/ResultListPage';
import { ResultPage } from './pages/results/ResultPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { ViewPage } from './pages/views/ViewPage';
import { ComparePage } from './pages/compare/ComparePage';
import { FlakyTestsPage } from './pages/flaky/FlakyTestsPage';
import { UserListPage } from './pages/admin/UserListPage';
import { UserEditPage } from './pages/admin/UserEditPage';
import { ProjectListPage } from './pages/admin/ProjectListPage';
import { ProjectEditPage } from './pages/admin/ProjectEditPage';
import { UnassignedRunsPage } from './pages/admin/UnassignedRunsPage';
import { ProfilePage } from './pages/profile/ProfilePage';
import { TokensPage } from './pages/profile/TokensPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { WebhooksPage } from './pages/webhooks/WebhooksPage';
import { QuarantinePage } from './pages/quarantine/QuarantinePage';

function RequireAuth() {
  const { session } = useAuth();
  const loc = useLocation();
  if (!session) return <Navigate to={'/login?next=' + encodeURIComponent(loc.pathname + loc.search)} replace />;
  return <Outlet />;
}

function Shell() {
  return (
    <ProjectProvider>
      <AppLayout />
    </ProjectProvider>
  );
}

/** The pages that exist both inside a project and across all projects. */
function projectPages() {
  return (
    <>
      <Route path="runs" element={<RunListPage />} />
      <Route path="runs/:run_id" element={<RunPage />} />
      <Route path="results" element={<ResultListPage />} />
      <Route path="results/:result_id" element={<ResultPage />} />
      <Route path="compare" element={<ComparePage />} />
    </>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/sign-up" element={<SignUpPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password/:activation_code" element={<ResetPasswordPage />} />
      <Route element={<RequireAuth />}>
        <Route path="/project/:project_id" element={<Shell />}>
          <Route index element={<Navigate to="dashboard" replace />} />
          <Route path="dashboard" element={<DashboardPage />} />
          <Route path="dashboard/:dashboard_id" element={<DashboardPage />} />
          <Route path="view/:view_id" element={<ViewPage />} />
          <Route path="webhooks" element={<WebhooksPage />} />
          <Route path="quarantine" element={<QuarantinePage />} />
          <Route path="flaky" element={<FlakyTestsPage />} />
          {projectPages()}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="/" element={<Shell />}>
          <Route index element={<DashboardPage />} />
          {projectPages()}
          <Route path="admin/users" element={<UserListPage />} />
          <Route path="admin/users/:id" element={<UserEditPage />} />
          <Route path="admin/projects" element={<ProjectListPage />} />
          <Route path="admin/projects/:id" element={<ProjectEditPage />} />
          <Route path="admin/unassigned-runs" element={<UnassignedRunsPage />} />
          <Route path="profile/user" element={<ProfilePage />} />
          <Route path="profile/tokens" element={<TokensPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
