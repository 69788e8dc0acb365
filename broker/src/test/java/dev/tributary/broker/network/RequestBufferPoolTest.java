package dev.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RequestBufferPoolTest {
    @Test
    void shouldHandOutADirectBufferLimitedToTheFrameSize() {
        RequestBufferPool pool = new RequestBufferPool(1024, 2);

        ByteBuffer b = pool.acquire(100);

        assertThat(b.isDirect()).isTrue();
        assertThat(b.position()).isZero();
        assertThat(b.limit()).isEqualTo(100);
    }

    @Test
    void shouldReuseABufferOnlyAfterItIsReleased() {
        RequestBufferPool pool = new RequestBufferPool(1024, 2);
        ByteBuffer first = pool.acquire(100);

        ByteBuffer second = pool.acquire(200);
        assertThat(second).isNotSameAs(first);

        pool.release(first);
        ByteBuffer third = pool.acquire(300);
        assertThat(third).isSameAs(first);
        assertThat(third.limit()).isEqualTo(300);
        assertThat(pool.created()).isEqualTo(2);
    }

    @Test
    void shouldGiveHeapBuffersToFramesOverTheBufferSizeAndWhenAllBuffersAreOut() {
        RequestBufferPool pool = new RequestBufferPool(1024, 1);

        assertThat(pool.acquire(2048).isDirect()).isFalse();
        assertThat(pool.acquire(2048).capacity()).isEqualTo(2048);
        ByteBuffer only = pool.acquire(10);
        ByteBuffer overflow = pool.acquire(10);

        assertThat(only.isDirect()).isTrue();
        assertThat(overflow.isDirect()).isFalse();
        pool.release(overflow);
        assertThat(pool.available()).isZero();
    }

    @Test
    void shouldFreeTheSlotOfABufferThatNeverComesBack() {
        RequestBufferPool pool = new RequestBufferPool(1024, 1);
        ByteBuffer lost = pool.acquire(10);

        pool.forget(lost);
        ByteBuffer next = pool.acquire(10);

        assertThat(next.isDirect()).isTrue();
        assertThat(next).isNotSameAs(lost);
        assertThat(pool.created()).isEqualTo(1);
    }
}
