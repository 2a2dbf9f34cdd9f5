// Failing JUnit 4 tests whose stack traces pin the fingerprint normalisation (see ../README.md).
import static org.junit.Assert.assertEquals;

import java.util.UUID;
import org.junit.Test;

public class SampleTest {
    @Test
    public void statusIsOk() {
        assertEquals("status of request " + UUID.randomUUID(), 200, 500);
    }

    @Test
    public void nullName() {
        String name = System.getenv("SURELY_UNSET_" + System.nanoTime());
        name.length();
    }
}
