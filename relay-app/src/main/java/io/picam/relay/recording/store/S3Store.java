package io.picam.relay.recording.store;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Recordings in an S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO, Heroku's S3 add-ons) through
 * the AWS SDK: an endpoint override and path-style addressing reach the non-AWS ones. Checksums are only sent where
 * the protocol requires them, since several S3-compatible services refuse the SDK's newer default ones.
 */
public final class S3Store implements RecordingStore, AutoCloseable {

    /** The settings, from {@code PICAM_RECORDING_S3_*}. */
    public record Settings(
            String endpoint, String region, String bucket, String accessKeyId, String secretAccessKey, String prefix) {}

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String description;

    public S3Store(Settings settings) {
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(20)))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(60)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(
                        settings.accessKeyId() == null
                                ? DefaultCredentialsProvider.builder().build()
                                : StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                        settings.accessKeyId(), settings.secretAccessKey())));
        if (settings.endpoint() != null) {
            builder.endpointOverride(URI.create(settings.endpoint())).forcePathStyle(true);
        }
        this.s3 = builder.build();
        this.bucket = settings.bucket();
        this.prefix = settings.prefix() == null ? "" : settings.prefix();
        this.description = "S3 bucket " + bucket + (settings.endpoint() == null ? "" : " at " + settings.endpoint())
                + (this.prefix.isEmpty() ? "" : " under " + this.prefix);
    }

    @Override
    public void put(String key, InputStream data, long length) {
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(prefix + key).contentLength(length),
                    RequestBody.fromInputStream(data, length));
        } catch (SdkException e) {
            throw new StoreException("cannot write " + key + " to " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        GetObjectRequest.Builder request =
                GetObjectRequest.builder().bucket(bucket).key(prefix + key);
        if (offset > 0 || length >= 0) {
            request.range("bytes=" + offset + "-" + (length >= 0 ? String.valueOf(offset + length - 1) : ""));
        }
        try {
            return s3.getObject(request.build());
        } catch (NoSuchKeyException e) {
            throw new StoreException("no object " + key, e);
        } catch (SdkException e) {
            throw new StoreException("cannot read " + key + " from " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
        } catch (SdkException e) {
            throw new StoreException("cannot delete " + key + " from " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredObject> list(String keyPrefix) {
        List<StoredObject> found = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(
                            b -> b.bucket(bucket).prefix(prefix + keyPrefix))
                    .contents()) {
                found.add(new StoredObject(object.key().substring(prefix.length()), object.size()));
            }
        } catch (SdkException e) {
            throw new StoreException("cannot list " + description + ": " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        s3.close();
    }
}
